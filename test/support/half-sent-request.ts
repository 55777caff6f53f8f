import { connect } from 'node:net';

/** A request whose headers announce a body that never fully arrives, held open by the client. */
export interface HalfSentRequest {
  /** Resolves once the server has closed the connection: when, and what it answered (if anything). */
  closed: Promise<{ at: number; received: string }>;
  destroy(): void;
}

export async function sendHalfARequest(baseUrl: string): Promise<HalfSentRequest> {
  const { hostname, port } = new URL(baseUrl);
  const socket = connect({ host: hostname, port: Number(port) });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  const closed = new Promise<{ at: number; received: string }>((resolve) =>
    socket.once('close', () => resolve({ at: Date.now(), received })),
  );
  socket.on('error', () => undefined);
  // `Expect: 100-continue` makes the server say when it has read the headers: from then on the
  // request is in flight there, waiting for a body that stops halfway.
  socket.write(
    'POST /v1/environments/00000000-0000-4000-8000-000000000000/users HTTP/1.1\r\n' +
      `Host: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\nExpect: 100-continue\r\n\r\n`,
  );
  const deadline = Date.now() + 10_000;
  while (!received.includes('100 Continue')) {
    if (Date.now() > deadline || socket.destroyed) throw new Error(`no 100 Continue from the server: ${received}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  socket.write('{"username": "half');
  return { closed, destroy: () => socket.destroy() };
}
