/**
 * A TCP relay between a pool and PostgreSQL that resets a connection at a chosen moment: the first
 * client write matching `cutWhen` resets the client's side (ECONNRESET, as a restarting server's
 * connections see it, not a clean close) and closes the server's; later connections are relayed
 * untouched. Tests use it to fail one statement with a real connection error.
 */
import { createServer, connect as connectTcp, type AddressInfo, type Server, type Socket } from 'node:net';

export class TcpRelay {
  cuts = 0;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();

  constructor(target: { host: string; port: number }, cutWhen: (data: Buffer) => boolean) {
    this.#server = createServer((client) => {
      const upstream = connectTcp(target.port, target.host);
      for (const s of [client, upstream]) {
        this.#sockets.add(s);
        s.on('error', () => undefined);
      }
      // One side closing closes the other: a pool's ended connection ends its server session.
      client.on('close', () => {
        this.#sockets.delete(client);
        upstream.destroy();
      });
      upstream.on('close', () => {
        this.#sockets.delete(upstream);
        client.destroy();
      });
      upstream.pipe(client);
      client.on('data', (data: Buffer) => {
        if (this.cuts === 0 && cutWhen(data)) {
          this.cuts++;
          client.resetAndDestroy();
          upstream.destroy();
          return;
        }
        upstream.write(data);
      });
    });
  }

  /** Listens on a free loopback port; returns `url` with its port replaced by the relay's. */
  async listen(url: string): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    const relayed = new URL(url);
    relayed.port = String((this.#server.address() as AddressInfo).port);
    return relayed.toString();
  }

  async close(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/** The host and port of a PostgreSQL URL. */
export function targetOf(url: string): { host: string; port: number } {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port) };
}
