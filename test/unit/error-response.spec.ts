import { describe, expect, it } from '@jest/globals';
import { NotFoundException } from '@nestjs/common';
import { DomainError, type DomainErrorCode, UnsupportedMediaType } from '../../src/common/errors/domain-error.js';
import { ERROR_MAP } from '../../src/common/errors/error-map.js';
import { isDatabaseUnavailable, toErrorResponse } from '../../src/common/errors/error-response.js';
import { decodeCursor, encodeCursor } from '../../src/common/pagination/cursor.js';

describe('toErrorResponse', () => {
  it('maps every domain code to a PingOne status and code', () => {
    for (const code of Object.keys(ERROR_MAP) as DomainErrorCode[]) {
      const response = toErrorResponse(new DomainError(code));
      expect(response.status).toBe(ERROR_MAP[code].status);
      expect(response.body).toEqual({ id: expect.any(String), code: ERROR_MAP[code].code, message: ERROR_MAP[code].message });
    }
  });

  it('keeps details and gives each error its own id', () => {
    const a = toErrorResponse(new UnsupportedMediaType('text/plain', ['application/json']));
    const b = toErrorResponse(new UnsupportedMediaType('text/plain', ['application/json']));
    expect(a.status).toBe(415);
    expect(a.body.details?.[0]?.innerError).toEqual({ allowedValues: ['application/json'] });
    expect(a.body.id).not.toBe(b.body.id);
  });

  it('hides unexpected errors behind a 500 without their message', () => {
    const response = toErrorResponse(new Error('SELECT secret FROM table'));
    expect(response.status).toBe(500);
    expect(JSON.stringify(response.body)).not.toContain('SELECT');
    expect(response.log.cause).toBeInstanceOf(Error);
  });

  it('turns a router 404 into NOT_FOUND', () => {
    expect(toErrorResponse(new NotFoundException('Cannot GET /x')).body.code).toBe('NOT_FOUND');
  });

  it('answers 503 with Retry-After when the database is unreachable, however wrapped', () => {
    const wrapped = Object.assign(new Error('Invalid prisma.user.findFirst() invocation'), {
      cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }),
    });
    expect(isDatabaseUnavailable(wrapped)).toBe(true);
    expect(isDatabaseUnavailable(new Error('unique constraint'))).toBe(false);
    const response = toErrorResponse(wrapped);
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
  });
});

describe('cursors', () => {
  it('round-trip and refuse anything forged', () => {
    const id = '6f1c1f3e-7a34-4d5e-9b1e-2f0c9a1b2c3d';
    expect(decodeCursor(encodeCursor(id))).toBe(id);
    expect(() => decodeCursor('garbage')).toThrow(DomainError);
    expect(() => decodeCursor(Buffer.from('{"after":"1 OR 1=1"}').toString('base64url'))).toThrow(DomainError);
  });
});
