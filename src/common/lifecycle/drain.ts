import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Injectable } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../errors/domain-error.js';
import { toErrorResponse } from '../errors/error-response.js';

/**
 * The answer to a request that reaches an instance once it has begun to shut down: 503 with
 * Retry-After, and nothing done, so a client or balancer may send it again elsewhere, even a POST.
 */
export class ShuttingDown extends DomainError {
  constructor() {
    super('DATABASE_UNAVAILABLE', 'shutting down', [
      { code: 'SHUTTING_DOWN', message: 'This instance is shutting down and did not process the request: send it again.' },
    ]);
  }
}

interface InFlight {
  request: IncomingMessage;
  startedAt: number;
}

/** What a drain found and what it had to cut. */
export interface DrainOutcome {
  /** Requests that were in flight when the drain began. */
  inFlight: number;
  /** Requests still unfinished at the deadline, whose connections were closed. */
  cut: number;
}

/** How often a drain looks at the requests it waits for. */
const CHECK_EVERY_MS = 25;

/**
 * The first step of a shutdown (docs/shutdown.md): from `drain()` on, every new request, on a new
 * or a kept-alive connection, `/health/ready` included, is answered 503 at once; the listening
 * socket closes, idle kept-alive connections close, and each response still to come says
 * `Connection: close`. The requests already in flight run to their end, until a deadline after
 * which their connections are closed. Requests whose body has not fully arrived within the request
 * timeout are cut too: Node stops enforcing its own request timeout once the server closes.
 */
@Injectable()
export class Drain {
  private readonly inFlight = new Set<InFlight>();
  private server?: Server;
  private requestTimeoutMs = Number.POSITIVE_INFINITY;
  private started = false;

  get draining(): boolean {
    return this.started;
  }

  /** Requests being received or processed now. */
  get requestsInFlight(): number {
    return this.inFlight.size;
  }

  /** Follows the requests of `fastify`'s server and adds the hooks that refuse new ones once draining. */
  register(fastify: FastifyInstance, requestTimeoutMs: number): void {
    this.server = fastify.server;
    this.requestTimeoutMs = requestTimeoutMs;
    fastify.server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      const entry = { request, startedAt: Date.now() };
      this.inFlight.add(entry);
      response.once('close', () => this.inFlight.delete(entry));
    });
    fastify.addHook('onRequest', (_request, reply, done) => {
      if (!this.started) return done();
      const { status, headers, body } = toErrorResponse(new ShuttingDown());
      void reply
        .status(status)
        .headers({ ...headers, connection: 'close' })
        .type('application/json')
        .send(body);
    });
    fastify.addHook('onSend', async (_request, reply) => {
      if (this.started) void reply.header('connection', 'close');
    });
  }

  /**
   * Refuses new requests and connections from now on, and resolves once every request in flight
   * has finished or `deadline` (epoch ms) has come, closing what is left then.
   */
  async drain(deadline: number): Promise<DrainOutcome> {
    this.started = true;
    const inFlight = this.inFlight.size;
    const server = this.server;
    if (server?.listening) server.close();
    server?.closeIdleConnections();
    await new Promise<void>((resolve) => {
      const check = () => {
        const now = Date.now();
        for (const entry of this.inFlight) {
          if (!entry.request.complete && now - entry.startedAt >= this.requestTimeoutMs) this.cut(entry);
        }
        if (this.inFlight.size > 0 && now < deadline) return;
        clearInterval(timer);
        resolve();
      };
      const timer = setInterval(check, CHECK_EVERY_MS);
      check();
    });
    const cut = this.inFlight.size;
    for (const entry of this.inFlight) this.cut(entry);
    server?.closeAllConnections();
    return { inFlight, cut };
  }

  private cut(entry: InFlight): void {
    entry.request.socket.destroy();
    this.inFlight.delete(entry);
  }
}
