import { readFileSync } from 'node:fs';
import type { AppConfig } from '../config/app-config.js';

let version: string | undefined;

/** The service's version, from the package.json next to src/ (or dist/) in the checkout and in the image. */
export function serviceVersion(): string {
  version ??= (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return version;
}

/** Which database, for a person reading the log: host, port and database name, never the user or the password. */
export function databaseDescription(config: Pick<AppConfig, 'databaseUrl' | 'databasePoolSize' | 'dataDir'>): string {
  if (!config.databaseUrl) return `embedded (PGlite) in ${config.dataDir}`;
  const url = new URL(config.databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, '')) || '(default database)';
  const host = url.host || url.searchParams.get('host') || 'localhost';
  return `PostgreSQL at ${host}/${name}, pool of ${config.databasePoolSize}`;
}
