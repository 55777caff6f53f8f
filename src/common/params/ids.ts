import { Transform } from 'class-transformer';
import { ValidateBy } from 'class-validator';
import { applyDecorators } from '@nestjs/common';

/** Every id of the API is a UUID; the service keeps and compares them lower-cased. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The one place an id is recognised: the id in its stored (lower-case) form, or undefined when the
 * value is not a UUID. Everything that receives an id from outside (a path, a body, a filter, a
 * token claim, a cursor, the configuration) goes through here, so no comparison ever depends on
 * the case a caller chose.
 */
export function parseId(value: unknown): string | undefined {
  return typeof value === 'string' && UUID.test(value) ? value.toLowerCase() : undefined;
}

export function isId(value: unknown): value is string {
  return parseId(value) !== undefined;
}

/** A body attribute holding an id: validated as a UUID, then normalised by `parseId`. */
export const IdField = () =>
  applyDecorators(
    ValidateBy({
      name: 'isId',
      validator: { validate: (value) => isId(value), defaultMessage: (args) => `${args?.property ?? 'id'} must be a UUID` },
    }),
    Transform(({ value }: { value: unknown }) => parseId(value) ?? value),
  );
