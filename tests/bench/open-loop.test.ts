import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOpenLoop } from './measure.ts';

/**
 * The latency target's load generator (Q5): requests leave on a fixed schedule whatever the
 * server is doing (an open loop), and latency is each request's own. A local server that answers
 * after a known delay shows both: a closed loop would send fewer requests when answers are slow.
 */
let server: Server;
let url: string;
let inFlight = 0;
let mostInFlight = 0;
const DELAY_MS = 40;

beforeAll(async () => {
  server = createServer((req, res) => {
    inFlight++;
    mostInFlight = Math.max(mostInFlight, inFlight);
    req.resume();
    req.on('end', () =>
      setTimeout(() => {
        inFlight--;
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{}}');
      }, DELAY_MS),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('runOpenLoop', () => {
  it('sends rate × duration requests on schedule without waiting for slow answers, and times each', async () => {
    mostInFlight = 0;
    // One request every 10 ms, each answered after 40 ms: an open loop has about 4 in flight.
    const result = await runOpenLoop(url, 100, 1, () => ({ query: '{ __typename }' }));
    expect(result.requests).toBe(100);
    expect(result.failures).toBe(0);
    // A closed loop would never have more than one in flight.
    expect(mostInFlight).toBeGreaterThanOrEqual(2);
    expect(result.p50).toBeGreaterThanOrEqual(DELAY_MS);
    // Each request's own time, not the time since the run began (bounded loosely: the machine may be busy).
    expect(result.p50).toBeLessThan(DELAY_MS * 10);
    expect(result.p99).toBeGreaterThanOrEqual(result.p50);
    expect(result.max).toBeGreaterThanOrEqual(result.p99);
  });

  it('counts answers carrying GraphQL errors as failures', async () => {
    const failing = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"errors":[{"message":"no"}]}'));
    });
    await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve));
    try {
      const failed = await runOpenLoop(`http://127.0.0.1:${(failing.address() as AddressInfo).port}/graphql`, 50, 0.2, () => ({ query: '{ x }' }));
      expect(failed.requests).toBe(10);
      expect(failed.failures).toBe(10);
      expect(failed.failureSample).toMatch(/"errors"/);
    } finally {
      await new Promise<void>((resolve) => failing.close(() => resolve()));
    }
  });
});
