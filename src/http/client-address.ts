import type { IncomingMessage } from 'node:http';

/**
 * The address a request came from, for the public's rate limit. With `trustedProxies` 0 it is the
 * socket's peer, whatever the headers say (anyone can write X-Forwarded-For). Behind n proxies that
 * each append the address they saw, the client is the n-th address from the right of
 * X-Forwarded-For (the socket's peer counted as the last): entries further left were written by
 * the client itself and cannot be believed.
 */
export function clientAddressOf(req: IncomingMessage, trustedProxies: number): string {
  const peer = normalize(req.socket.remoteAddress ?? 'unknown');
  if (trustedProxies === 0) return peer;
  const header = req.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  const chain = [...forwarded.map(normalize), peer];
  return chain[Math.max(0, chain.length - 1 - trustedProxies)]!;
}

/** IPv4 clients of a dual-stack socket appear as ::ffff:a.b.c.d; one client, one key. */
function normalize(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
