import { createServer, type Server } from 'node:net';
import { StartupRefusal } from '../startup-refusal.ts';

/** The port cannot be listened on: taken, privileged, or HOST is no address of this machine. */
export class PortUnavailableError extends StartupRefusal {
  override name = 'PortUnavailableError';
  constructor(port: number, host: string, code: string | undefined) {
    super(
      code === 'EADDRINUSE'
        ? `port ${port} is in use; stop what listens there, or set PORT to a free port`
        : code === 'EACCES'
          ? `port ${port} needs privileges this process lacks; set PORT to a port above 1023`
          : `cannot listen on ${host}:${port} (${code ?? 'unknown error'}); check HOST and PORT`,
    );
  }
}

const LISTEN_ERRORS = new Set(['EADDRINUSE', 'EACCES', 'EADDRNOTAVAIL']);

/**
 * Listens on `port` of `host`, resolving once listening; a port that cannot be had rejects with
 * PortUnavailableError (one line a person can act on) instead of an unhandled 'error' event.
 */
export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException) => reject(LISTEN_ERRORS.has(error.code ?? '') ? new PortUnavailableError(port, host, error.code) : error);
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      resolve();
    });
  });
}

/**
 * Checks that `port` can be listened on, by listening and closing at once, before the database is
 * opened, migrated or imported: a taken port then changes nothing. Something may take it before
 * the real listen, which `listen` reports the same way.
 */
export async function checkPortAvailable(port: number, host: string): Promise<void> {
  if (port === 0) return; // any free port: always available
  const probe = createServer();
  await listen(probe, port, host);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}
