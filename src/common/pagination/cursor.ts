import { ValidationFailed } from '../errors/domain-error.js';
import { parseId } from '../params/ids.js';

/**
 * Opaque keyset cursors: the position after which the next page starts, encoded so callers treat
 * it as a token rather than something to build.
 */
export function encodeCursor(afterId: string): string {
  return Buffer.from(JSON.stringify({ after: afterId }), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && 'after' in parsed && typeof parsed.after === 'string') {
      const after = parseId(parsed.after);
      if (after !== undefined) return after;
    }
  } catch {
    // fall through to the validation error below
  }
  throw new ValidationFailed([{ code: 'INVALID_VALUE', target: 'cursor', message: 'The cursor is not one this service issued.' }]);
}
