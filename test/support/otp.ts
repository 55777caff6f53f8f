import { HOTP, Secret } from 'otpauth';

export const STEP_MS = 30_000;

/** The code of the time step `offset` steps away from now, computed independently of the service. */
export const codeAt = (secret: string, offset: number): string =>
  HOTP.generate({ secret: Secret.fromBase32(secret), counter: Math.floor(Date.now() / STEP_MS) + offset });

/** A well-formed code that is not valid now: the code of a far step, skipping any that collides with the window. */
export function wrongCode(secret: string, n: number): string {
  const valid = new Set([-1, 0, 1].map((offset) => codeAt(secret, offset)));
  let offset = 10 + n;
  while (valid.has(codeAt(secret, offset))) offset += 100;
  return codeAt(secret, offset);
}

/** Keeps a test's codes inside the step they were made for: waits out the last 3 s of a step. */
export async function awayFromStepBoundary(): Promise<void> {
  const left = STEP_MS - (Date.now() % STEP_MS);
  if (left < 3000) await new Promise((resolve) => setTimeout(resolve, left + 50));
}
