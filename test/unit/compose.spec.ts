import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';

/**
 * What docker-compose.yml promises (README, docs/operations.md), checked without a Docker engine.
 * `npm run compose:check` validates it against the compose-spec schema; this checks what a schema
 * cannot: the start order, the one published port, the replicas and what the proxy is given.
 */
interface Service {
  image?: string;
  build?: string;
  command?: string[];
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  restart?: string;
  healthcheck?: { test: string[] };
  deploy?: { replicas?: number };
}

const compose = parse(readFileSync('docker-compose.yml', 'utf8')) as { services: Record<string, Service> };
const services = compose.services;
const service = (name: string): Service => {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
};

describe('docker-compose.yml', () => {
  it('depends only on services it defines', () => {
    const missing = Object.entries(services).flatMap(([name, s]) =>
      Object.keys(s.depends_on ?? {})
        .filter((dependency) => !(dependency in services))
        .map((dependency) => `${name} -> ${dependency}`),
    );
    expect(missing).toEqual([]);
  });

  it('migrates once, before the replicas start, with the service image', () => {
    const migrate = service('migrate');
    expect(migrate.build).toBe('.');
    expect(migrate.command).toEqual(['node', 'dist/cli/main.js', 'migrate']);
    expect(migrate.depends_on).toEqual({ db: { condition: 'service_healthy' } });
    expect(migrate.restart).toBe('no');
    expect(service('service').depends_on).toEqual({
      db: { condition: 'service_healthy' },
      migrate: { condition: 'service_completed_successfully' },
      nats: { condition: 'service_healthy' },
    });
  });

  it('runs two replicas of the service on PostgreSQL and NATS JetStream, each ready only when /health/ready says so', () => {
    const replicas = service('service');
    expect(replicas.build).toBe('.');
    expect(replicas.deploy?.replicas).toBe(2);
    expect(replicas.environment?.DATABASE_URL).toMatch(/^postgresql:\/\/[^@]+@db:5432\//);
    expect(replicas.environment?.NATS_URL).toBe('nats://nats:4222');
    expect(replicas.environment?.ENCRYPTION_KEYS).toMatch(/^\$\{ENCRYPTION_KEYS:\?/);
    expect(replicas.healthcheck?.test.join(' ')).toContain('http://127.0.0.1:3000/health/ready');
    expect(service('nats').command).toContain('--jetstream');
  });

  it('publishes one port, on the loopback interface, in front of the replicas', () => {
    const published = Object.entries(services).flatMap(([name, s]) => (s.ports ?? []).map((port) => `${name} ${port}`));
    expect(published).toEqual(['proxy 127.0.0.1:3000:80']);
    expect(service('proxy').depends_on).toEqual({ service: { condition: 'service_healthy' } });
  });

  it('gives the proxy a configuration that balances over every replica and never serves /metrics', () => {
    const [mount] = service('proxy').volumes ?? [];
    const [source = '', target] = (mount ?? '').split(':');
    expect(target).toBe('/etc/nginx/conf.d/default.conf');
    expect(existsSync(source)).toBe(true);
    const conf = readFileSync(source, 'utf8');
    expect(conf).toMatch(/^\s*server service:3000 resolve\b/m);
    expect(conf).toMatch(/^\s*resolver 127\.0\.0\.11 valid=\d+s/m);
    expect(conf).toMatch(/location = \/metrics \{\s*return 404;/);
  });
});
