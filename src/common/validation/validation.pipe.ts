import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import { type ErrorDetail, MalformedRequest, ValidationFailed } from '../errors/domain-error.js';
import { findNul, MalformedBody, RefusedBody } from '../http/body-parser.js';

/** Attributes PingOne returns but never accepts from a caller. */
const READ_ONLY = new Set([
  'id',
  '_links',
  '_embedded',
  'environment',
  'account',
  'enabled',
  'emailVerified',
  'identityProvider',
  'verifyStatus',
  'createdAt',
  'updatedAt',
  'lastSignOn',
  'lifecycle',
]);

const PRIMITIVES = new Set<unknown>([String, Boolean, Number, Array, Object]);

/**
 * Validates bodies and query strings against their DTO classes and reports every
 * problem at once as PingOne `details`. Unknown and read-only attributes are refused by name.
 */
@Injectable()
export class RequestValidationPipe implements PipeTransform {
  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Path ids are parsed before any guard runs (common/params/path-ids.ts).
    if (metadata.type === 'custom' || metadata.type === 'param') return value;
    if (value instanceof MalformedBody) throw new MalformedRequest(`The body is not valid JSON: ${value.reason}`, 'body');
    if (value instanceof RefusedBody) throw new ValidationFailed([value.detail]);
    // A query value holding NUL would reach PostgreSQL, which refuses it (22021) mid-request.
    const nul = metadata.type === 'query' ? findNul(value) : undefined;
    if (nul) throw new ValidationFailed([nul.detail]);
    const { metatype } = metadata;
    if (!metatype || PRIMITIVES.has(metatype)) return value;
    // An empty body is allowed where the DTO requires nothing; required fields then report.
    const input = value === undefined && metadata.type === 'body' ? {} : value;
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw new MalformedRequest('The body must be a JSON object.', 'body');
    }
    const instance = plainToInstance(metatype, input) as object;
    const errors = await validate(instance, {
      whitelist: true,
      forbidNonWhitelisted: metadata.type === 'body',
      forbidUnknownValues: true,
    });
    if (errors.length > 0) throw new ValidationFailed(toDetails(errors));
    return instance;
  }
}

function toDetails(errors: ValidationError[], prefix = ''): ErrorDetail[] {
  return errors.flatMap((error) => {
    const target = `${prefix}${error.property}`;
    if (error.value === undefined && error.constraints && !('whitelistValidation' in error.constraints)) {
      return [{ code: 'REQUIRED_VALUE', target, message: `${target} is required.` }];
    }
    const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) =>
      detailFor(constraint, target, message, error.contexts?.[constraint] as Record<string, unknown> | undefined),
    );
    return [...own, ...toDetails(error.children ?? [], `${target}.`)];
  });
}

function detailFor(constraint: string, target: string, message: string, context?: Record<string, unknown>): ErrorDetail {
  if (constraint === 'whitelistValidation') {
    const attribute = target.split('.').at(-1) ?? target;
    return {
      code: 'INVALID_VALUE',
      target,
      message: READ_ONLY.has(attribute) && !target.includes('.') ? `${target} is read-only.` : `${target} is not a known attribute.`,
    };
  }
  const { code, ...innerError } = context ?? {};
  return {
    code: typeof code === 'string' ? code : 'INVALID_VALUE',
    target,
    message,
    ...(Object.keys(innerError).length > 0 ? { innerError } : {}),
  };
}
