import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { checkPortAvailable, listen, PortUnavailableError } from '../../src/http/port-check.ts';
import { freePort } from '../helpers/free-port.ts';

/** The port checks of src/index.ts on real sockets; the whole start is in tests/app/start-up-refusals.test.ts. */
const open: Server[] = [];
afterAll(() => {
  for (const server of open) server.close();
});

async function takenPort(): Promise<number> {
  const port = await freePort();
  const holder = createServer();
  open.push(holder);
  await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
  return port;
}

describe('port checks', () => {
  it('a taken port is refused with one line naming it, by the check and by the real listen alike', async () => {
    const port = await takenPort();
    const message = `port ${port} is in use; stop what listens there, or set PORT to a free port`;
    await expect(checkPortAvailable(port, '127.0.0.1')).rejects.toThrow(new PortUnavailableError(port, '127.0.0.1', 'EADDRINUSE'));
    await expect(checkPortAvailable(port, '127.0.0.1')).rejects.toThrow(message);
    // Taken between the check and the listen: the HTTP server's listen rejects the same way, with no 'error' event left unhandled.
    const http = createHttpServer();
    await expect(listen(http, port, '127.0.0.1')).rejects.toThrow(message);
    expect(http.listening).toBe(false);
  });

  it('a free port passes the check and is left free for the real listen', async () => {
    const port = await freePort();
    await checkPortAvailable(port, '127.0.0.1');
    const http = createHttpServer();
    open.push(http);
    await listen(http, port, '127.0.0.1');
    expect(http.listening).toBe(true);
  });

  it('an address that is not this machine is refused naming HOST and PORT', async () => {
    // 192.0.2.1 (TEST-NET-1) is assigned to no interface here.
    await expect(checkPortAvailable(4000, '192.0.2.1')).rejects.toThrow('cannot listen on 192.0.2.1:4000 (EADDRNOTAVAIL); check HOST and PORT');
  });
});
