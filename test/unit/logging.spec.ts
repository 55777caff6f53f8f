import { PassThrough } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { createLogger, logFormatFor, NestPinoLogger } from '../../src/common/logging.js';
import { databaseDescription } from '../../src/common/service-info.js';

/** A stream that says whether it is a terminal, and what was written to it. */
function destination(isTTY: boolean): PassThrough & { isTTY: boolean; text(): string } {
  const chunks: string[] = [];
  const stream = Object.assign(new PassThrough(), { isTTY, text: () => chunks.join('') });
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  return stream;
}

describe('the log format', () => {
  it('is readable lines at a terminal and JSON lines elsewhere, unless LOG_FORMAT forces one', () => {
    expect(logFormatFor('auto', true)).toBe('pretty');
    expect(logFormatFor('auto', false)).toBe('json');
    expect(logFormatFor('json', true)).toBe('json');
    expect(logFormatFor('pretty', false)).toBe('pretty');
  });

  it('writes JSON lines to what is not a terminal', () => {
    const out = destination(false);
    createLogger({ logLevel: 'info', logFormat: 'auto' }, out).info({ port: 3000 }, 'listening');
    expect(JSON.parse(out.text())).toMatchObject({ level: 30, port: 3000, msg: 'listening' });
  });

  it('writes readable lines to a terminal, still without credentials', () => {
    const out = destination(true);
    createLogger({ logLevel: 'info', logFormat: 'auto' }, out).info({ body: { password: 'Correct-Horse-9' } }, 'listening');
    const line = out.text();
    expect(() => JSON.parse(line) as unknown).toThrow();
    expect(line).toContain('INFO');
    expect(line).toContain('listening');
    expect(line).toContain('[redacted]');
    expect(line).not.toContain('Correct-Horse-9');
  });

  it('writes JSON to a terminal when LOG_FORMAT=json', () => {
    const out = destination(true);
    createLogger({ logLevel: 'info', logFormat: 'json' }, out).info('listening');
    expect(JSON.parse(out.text())).toMatchObject({ msg: 'listening' });
  });
});

describe("Nest's messages", () => {
  it('keeps the line per module and per route at debug level, and the rest at info', () => {
    const at = (level: 'info' | 'debug') => {
      const out = destination(false);
      const nest = new NestPinoLogger(createLogger({ logLevel: level, logFormat: 'json' }, out));
      nest.log('Mapped {/health, GET} route', 'RouterExplorer');
      nest.log('AppModule dependencies initialized', 'InstanceLoader');
      nest.log('applied migrations: x', 'Database');
      return out
        .text()
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { msg: string }).msg);
    };
    expect(at('info')).toEqual(['applied migrations: x']);
    expect(at('debug')).toEqual(['Mapped {/health, GET} route', 'AppModule dependencies initialized', 'applied migrations: x']);
  });
});

describe('the database named at start', () => {
  it('names the host and the database, never the user or the password', () => {
    const described = databaseDescription({
      databaseUrl: 'postgresql://identity:s3cr3t-pa55@db.internal:5433/identity?sslmode=require',
      databasePoolSize: 10,
      dataDir: './.data',
    });
    expect(described).toBe('PostgreSQL at db.internal:5433/identity, pool of 10');
    expect(databaseDescription({ databaseUrl: undefined, databasePoolSize: 10, dataDir: './.data' })).toBe('embedded (PGlite) in ./.data');
  });
});
