import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { TEST_ENCRYPTION_KEY } from './test-app.js';

export interface ServiceProcess {
  pid: number;
  baseUrl: string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<number | string>;
  kill(signal?: NodeJS.Signals): void;
  /** Lines the process wrote, for a failing test's message. */
  output: string[];
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * The compiled service (dist/, built by the tests' global setup) as a process of its own, on
 * `databaseUrl`: for tests that kill an instance or run several. Resolves once it answers /health
 * (within `startTimeoutMs`: loading the modules alone took 10 s on this 2-core machine under a load of 18).
 */
export async function startServiceProcess(
  databaseUrl: string,
  env: Record<string, string> = {},
  startTimeoutMs = 90_000,
): Promise<ServiceProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['dist/main.js'], {
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: databaseUrl,
      ENCRYPTION_KEYS: TEST_ENCRYPTION_KEY,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_BASE_URL: 'http://localhost:3000',
      LOG_LEVEL: 'warn',
      BOOTSTRAP_ON_EMPTY: 'false',
      LOCK_SWEEP_INTERVAL_MS: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    const up = await fetch(`${baseUrl}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the service process did not start:\n${output.join('')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { pid: child.pid as number, baseUrl, exited, kill: (signal = 'SIGTERM') => child.kill(signal), output };
}
