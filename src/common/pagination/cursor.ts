import { ValidationFailed } from '../errors/domain-error.js';
import { parseId } from '../params/ids.js';

/**
 * Opaque keyset cursors: the position after which the next page starts, encoded so callers treat
 * it as a token rather than something to build. Every field is parsed again when the cursor comes
 * back, so a forged cursor is a 400, never a query with a value nobody checked.
 */
export function encodeKeyset(fields: Record<string, string>): string {
  return Buffer.from(JSON.stringify(fields), 'utf8').toString('base64url');
}

export function decodeKeyset<K extends string>(
  cursor: string,
  parsers: Record<K, (value: unknown) => string | undefined>,
): Record<K, string> {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null) {
      const fields = parsed as Record<string, unknown>;
      const values = Object.fromEntries(
        Object.entries(parsers).map(([key, parse]) => [key, (parse as (v: unknown) => string | undefined)(fields[key])]),
      );
      if (Object.values(values).every((v) => v !== undefined)) return values as Record<K, string>;
    }
  } catch {
    // fall through to the validation error below
  }
  throw new ValidationFailed([{ code: 'INVALID_VALUE', target: 'cursor', message: 'The cursor is not one this service issued.' }]);
}

/** The cursor of a list ordered by id: the last id of the page. */
export function encodeCursor(afterId: string): string {
  return encodeKeyset({ after: afterId });
}

export function decodeCursor(cursor: string): string {
  return decodeKeyset(cursor, { after: parseId }).after;
}
