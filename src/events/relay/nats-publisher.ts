import { Logger } from '@nestjs/common';
import { jetstream, type JetStreamClient, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { PlacedEvent } from './relay.repository.js';

/** Subjects: `identity.events.{envID}.{ACTION_TYPE}`, e.g. `identity.events.<env>.USER.UNLOCKED`. */
export const natsSubject = (event: Pick<PlacedEvent, 'environmentId' | 'type'>): string =>
  `identity.events.${event.environmentId}.${event.type}`;

/**
 * Publishes events to a JetStream stream (created when missing) and waits for the stream's
 * acknowledgement. `Nats-Msg-Id` is the event's id, so a republish after a crash is dropped by the
 * stream as a duplicate. A failure (server down, no acknowledgement in time) throws; the relay
 * retries the same event later, so the backlog grows and nothing is lost.
 */
export class NatsPublisher {
  private readonly logger = new Logger('NatsPublisher');
  private connecting?: Promise<{ nc: NatsConnection; js: JetStreamClient }>;
  /** The connection being opened or open; a closed or abandoned one no longer changes the state. */
  private current?: NatsConnection;
  private connected = false;

  constructor(
    private readonly servers: string,
    private readonly stream: string,
    private readonly timeoutMs: number,
  ) {}

  async publish(event: PlacedEvent, body: string): Promise<void> {
    const { js } = await this.connection();
    const ack = await js.publish(natsSubject(event), body, { msgID: event.id, timeout: this.timeoutMs });
    if (ack.stream !== this.stream) throw new Error(`acknowledged by stream ${ack.stream}, not ${this.stream}`);
  }

  /** Whether the connection is open and the stream was found (false while the client is reconnecting). */
  isConnected(): boolean {
    return this.connected;
  }

  /**
   * Starts opening the connection when none is open or being opened, without waiting for it: a
   * publisher with nothing to publish yet still learns whether NATS answers (readiness asks).
   */
  connectInBackground(): void {
    void this.connection().catch(() => undefined);
  }

  async close(): Promise<void> {
    const pending = this.connecting;
    this.connecting = undefined;
    this.current = undefined;
    this.connected = false;
    const connection = await pending?.catch(() => undefined);
    // Draining needs the server: while the client is reconnecting it fails, and the connection
    // would go on reconnecting for ever; close it then.
    await connection?.nc.drain().catch(() => connection.nc.close().catch(() => undefined));
  }

  /** One connection, made on first use and again after it closed; the client reconnects by itself meanwhile. */
  private connection(): Promise<{ nc: NatsConnection; js: JetStreamClient }> {
    this.connecting ??= this.open().catch((error: unknown) => {
      this.connecting = undefined;
      throw error;
    });
    return this.connecting;
  }

  private async open(): Promise<{ nc: NatsConnection; js: JetStreamClient }> {
    const nc = await connect({
      servers: this.servers.split(','),
      timeout: this.timeoutMs,
      maxReconnectAttempts: -1,
      name: 'identity-user-service',
    });
    this.current = nc;
    void nc.closed().then(() => {
      if (this.current !== nc) return;
      this.current = undefined;
      this.connecting = undefined;
      this.connected = false;
    });
    try {
      const jsm = await jetstreamManager(nc, { timeout: this.timeoutMs });
      try {
        await jsm.streams.info(this.stream);
      } catch {
        await jsm.streams.add({ name: this.stream, subjects: ['identity.events.>'] });
        this.logger.log(`created JetStream stream ${this.stream} on identity.events.>`);
      }
    } catch (error) {
      // Connected but without a usable stream (no JetStream, no permission): this connection is of
      // no use, and the next attempt opens a new one, so close it rather than leave it open.
      if (this.current === nc) this.current = undefined;
      await nc.close().catch(() => undefined);
      throw error;
    }
    this.connected = true;
    void this.followStatus(nc);
    return { nc, js: jetstream(nc, { timeout: this.timeoutMs }) };
  }

  /** The client reconnects by itself; meanwhile the publisher is not connected. */
  private async followStatus(nc: NatsConnection): Promise<void> {
    for await (const status of nc.status()) {
      if (this.current !== nc) return;
      if (status.type === 'disconnect') this.connected = false;
      else if (status.type === 'reconnect') this.connected = true;
    }
  }
}
