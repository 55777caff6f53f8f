import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ReceivedRequest {
  at: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** The activities in the body (PingOne's webhook body is a JSON array of them). */
  events: Array<Record<string, any>>;
  /** What the receiver answered. */
  outcome: Behaviour['kind'];
}

/** How the receiver answers one request. */
export type Behaviour =
  | { kind: 'ok' }
  | { kind: 'status'; status: number }
  | { kind: 'slow'; ms: number }
  | { kind: 'drop' }
  | { kind: 'redirect'; location: string }
  | { kind: 'hang' };

/**
 * A local webhook endpoint for tests. Each request is answered by the next scripted behaviour
 * (then `ok`), and recorded with its headers and parsed body.
 */
export class WebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  private script: Behaviour[] = [];
  private readonly sockets = new Set<Socket>();
  private server?: Server;
  private waiters: Array<() => void> = [];

  static async start(): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    await receiver.listen();
    return receiver;
  }

  get url(): string {
    const { port } = this.server?.address() as AddressInfo;
    return `http://127.0.0.1:${port}/hook`;
  }

  /** The next requests get these answers, in order; after them, `ok`. */
  answer(...behaviours: Behaviour[]): void {
    this.script.push(...behaviours);
  }

  /** Ids of the events received and accepted (2xx), in order of arrival. */
  get acceptedIds(): string[] {
    return this.requests.filter((r) => r.outcome === 'ok' || r.outcome === 'slow').flatMap((r) => r.events.map((e) => String(e.id)));
  }

  /** Resolves once `predicate` holds over the requests received (checked on each request). */
  async until(predicate: (receiver: WebhookReceiver) => boolean, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this)) {
      if (Date.now() > deadline)
        throw new Error(`webhook receiver: condition not met within ${timeoutMs} ms (${this.requests.length} requests)`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private listen(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => this.respond(req.headers, Buffer.concat(chunks).toString('utf8'), res));
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    return new Promise((resolve) => this.server?.listen(0, '127.0.0.1', () => resolve()));
  }

  private respond(headers: IncomingHttpHeaders, body: string, res: ServerResponse): void {
    const behaviour = this.script.shift() ?? { kind: 'ok' };
    let events: Array<Record<string, any>> = [];
    try {
      const parsed: unknown = JSON.parse(body);
      events = Array.isArray(parsed) ? (parsed as Array<Record<string, any>>) : [];
    } catch {
      events = [];
    }
    this.requests.push({ at: Date.now(), headers, body, events, outcome: behaviour.kind });
    for (const wake of this.waiters.splice(0)) wake();
    switch (behaviour.kind) {
      case 'ok':
        res.writeHead(204).end();
        return;
      case 'status':
        res.writeHead(behaviour.status, { 'content-type': 'text/plain' }).end('no');
        return;
      case 'slow':
        setTimeout(() => res.writeHead(200).end(), behaviour.ms);
        return;
      case 'drop':
        res.socket?.destroy();
        return;
      case 'redirect':
        res.writeHead(307, { location: behaviour.location }).end();
        return;
      case 'hang':
        return;
    }
  }
}
