import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.js';
import { usesEmbeddedDatabase } from '../support/test-app.js';

const describeOnPostgres = usesEmbeddedDatabase() ? describe.skip : describe;
const PASSWORD = 'never-printed-3f9a';

describeOnPostgres('what the service prints when it starts', () => {
  let service: ServiceProcess;
  let databaseUrl: URL;

  beforeAll(async () => {
    databaseUrl = new URL(process.env.DATABASE_URL as string);
    // The test server trusts local connections, so any password works here; it must not be printed.
    databaseUrl.password = PASSWORD;
    service = await startServiceProcess(databaseUrl.toString(), { LOG_LEVEL: 'info', EVENT_RELAY: 'false' });
  });
  afterAll(async () => {
    service?.kill();
    await service?.exited;
  });

  it('prints JSON lines through a pipe: the version, the database without credentials, the address; no line per route', () => {
    // The lines come before the service answers /health, which startServiceProcess waited for.
    const lines = service.output
      .join('')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as { msg: string; level: number });
    const messages = lines.map((l) => l.msg);
    expect(messages).toContainEqual(expect.stringMatching(/^identity user service \d+\.\d+\.\d+ on Node\.js v\d+/));
    const database = `${databaseUrl.host}${databaseUrl.pathname}`;
    expect(messages).toContain(`database: PostgreSQL at ${database}, pool of 10`);
    expect(messages).toContainEqual(
      expect.stringMatching(/^listening on http:\/\/127\.0\.0\.1:\d+ \(public base URL http:\/\/localhost:3000\)/),
    );
    expect(messages.filter((m) => /Mapped \{|dependencies initialized|RoutesResolver/.test(m))).toEqual([]);
    expect(service.output.join('')).not.toContain(PASSWORD);
  });
});
