import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP proxy in front of a real server (Redis) that can be told to hang: it keeps accepting
 * connections and keeps every socket open, but stops forwarding bytes either way, as a Redis that
 * is stuck (or a network path that silently drops packets) behaves. `resume()` forwards again.
 */
export interface HangableProxy {
  /** redis://127.0.0.1:<port> */
  url: string;
  hang(): void;
  resume(): void;
  close(): Promise<void>;
}

export async function startHangableProxy(target: { host: string; port: number }, scheme = 'redis'): Promise<HangableProxy> {
  let hung = false;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    sockets.add(client).add(upstream);
    const forward = (from: Socket, to: Socket) =>
      from.on('data', (chunk) => {
        // While hung, bytes are swallowed: nothing reaches the other side, nothing comes back.
        if (!hung) to.write(chunk);
      });
    forward(client, upstream);
    forward(upstream, client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    hang: () => {
      hung = true;
    },
    resume: () => {
      hung = false;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
