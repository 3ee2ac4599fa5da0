/**
 * Measurements: GraphQL over HTTP, SQL statements and database time counted inside PostgreSQL
 * (the same method for every server), closed-loop load with autocannon, and the raw path's loop.
 */
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import postgres from 'postgres';
import type { GraphQLRequest } from './cases.ts';

export async function postGraphQL(url: string, request: GraphQLRequest): Promise<any> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (request.token) headers.authorization = `Bearer ${request.token}`;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query: request.query, variables: request.variables }) });
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`HTTP ${response.status}: ${text.slice(0, 300)}`);
  }
}

// ---- statements and DB time, counted by PostgreSQL ------------------------------------------------

export interface StatementWindow {
  statements: number;
  dbMs: number;
}

/**
 * Counts what PostgreSQL executed for one database between begin() and end().
 *  - `pg_stat_statements` when the server preloads it (sum of calls and of total_exec_time);
 *  - otherwise the server log: `log_min_duration_statement = 0` set on the benchmark database
 *    only (ALTER DATABASE, no restart, no effect on other databases; it applies to connections
 *    opened afterwards, so servers are started after enable()), then the `duration:` lines of
 *    that database are read from the log file (statements = `statement:` and `execute` lines;
 *    DB time = the sum of every logged duration: parse, bind and execute).
 */
export interface StatementCounter {
  method: string;
  /** Call before opening the connections to be counted. */
  enable(): Promise<void>;
  disable(): Promise<void>;
  begin(): Promise<void>;
  end(): Promise<StatementWindow>;
  close(): Promise<void>;
}

export function findPostgresLog(): string | null {
  if (process.env.BENCH_PG_LOG) return process.env.BENCH_PG_LOG;
  try {
    const dir = '/var/log/postgresql';
    const logs = readdirSync(dir).filter((f) => /^postgresql-.*\.log$/.test(f));
    logs.sort((a, b) => statSync(`${dir}/${b}`).mtimeMs - statSync(`${dir}/${a}`).mtimeMs);
    return logs[0] ? `${dir}/${logs[0]}` : null;
  } catch {
    return null;
  }
}

export async function createStatementCounter(adminUrl: string, dbName: string): Promise<StatementCounter> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  const bench = postgres(adminUrl.replace(/\/[^/]*$/, `/${dbName}`), { max: 1, onnotice: () => {} });
  let preloaded = false;
  try {
    await bench`create extension if not exists pg_stat_statements`;
    await bench`select 1 from pg_stat_statements limit 1`;
    preloaded = true;
  } catch {
    preloaded = false;
  }
  if (preloaded) {
    const [{ oid }] = (await admin`select oid from pg_database where datname = ${dbName}`) as unknown as [{ oid: number }];
    return {
      method: 'pg_stat_statements (sum of calls and total_exec_time for the benchmark database)',
      enable: async () => {},
      disable: async () => {},
      begin: async () => {
        await bench`select pg_stat_statements_reset()`;
      },
      end: async () => {
        const [row] = await bench`
          select coalesce(sum(calls), 0)::float8 as calls, coalesce(sum(total_exec_time), 0)::float8 as ms
          from pg_stat_statements where dbid = ${oid} and query not ilike '%pg_stat_statements%'`;
        return { statements: row!.calls, dbMs: row!.ms };
      },
      close: async () => {
        await admin.end();
        await bench.end();
      },
    };
  }
  await bench.end();
  const logPath = findPostgresLog();
  let offset = 0;
  const tag = `@${dbName} `;
  const readNew = (): string => {
    if (!logPath) return '';
    const size = statSync(logPath).size;
    if (size < offset) offset = 0; // rotated
    const length = size - offset;
    const buffer = Buffer.alloc(length);
    const fd = openSync(logPath, 'r');
    try {
      readSync(fd, buffer, 0, length, offset);
    } finally {
      closeSync(fd);
    }
    offset = size;
    return buffer.toString('utf8');
  };
  return {
    method: logPath
      ? `server log (\`log_min_duration_statement = 0\` on the benchmark database only; ${logPath}): pg_stat_statements is not in shared_preload_libraries here and loading it needs a restart of the shared server`
      : 'unavailable (no pg_stat_statements, no readable server log)',
    enable: async () => {
      await admin.unsafe(`alter database "${dbName}" set log_min_duration_statement = 0`);
    },
    disable: async () => {
      await admin.unsafe(`alter database "${dbName}" reset log_min_duration_statement`);
    },
    begin: async () => {
      readNew();
    },
    end: async () => {
      if (!logPath) return { statements: Number.NaN, dbMs: Number.NaN };
      await new Promise((r) => setTimeout(r, 300)); // let the server flush its log lines
      let statements = 0;
      let dbMs = 0;
      for (const line of readNew().split('\n')) {
        if (!line.includes(tag)) continue;
        const match = /LOG:\s+duration: ([\d.]+) ms\s+(statement|execute|parse|bind)/.exec(line);
        if (!match) continue;
        dbMs += Number(match[1]);
        if (match[2] === 'statement' || match[2] === 'execute') statements++;
      }
      return { statements, dbMs };
    },
    close: async () => {
      await admin.unsafe(`alter database "${dbName}" reset log_min_duration_statement`).catch(() => {});
      await admin.end();
    },
  };
}

// ---- load ------------------------------------------------------------------------------------------

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  /** Non-2xx responses, socket errors and responses carrying GraphQL `errors`. */
  failures: number;
  /** The first failed response body, to say why. */
  failureSample?: string;
}

export interface HttpLoad {
  url: string;
  connections: number;
  durationS: number;
  /** A fixed rate (requests/s over all connections) instead of as fast as possible. */
  overallRate?: number;
  /** Requests a connection sends in turn; `build` may read what an earlier response stored in context. */
  steps: Array<{ build: (context: Record<string, any>) => GraphQLRequest; onBody?: (body: any, context: Record<string, any>) => void }>;
  /** A refusal with this error code is the expected answer (Q4): anything else is a failure. */
  expectedRefusal?: string;
}

export async function runAutocannon(load: HttpLoad): Promise<LoadResult> {
  let graphqlErrors = 0;
  let failureSample: string | undefined;
  const result = await autocannon({
    url: load.url,
    connections: load.connections,
    duration: load.durationS,
    ...(load.overallRate ? { overallRate: load.overallRate } : {}),
    requests: load.steps.map((step) => ({
      method: 'POST',
      setupRequest: (req: any, context: Record<string, any>) => {
        const request = step.build(context);
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (request.token) headers.authorization = `Bearer ${request.token}`;
        return { ...req, method: 'POST', headers, body: JSON.stringify({ query: request.query, variables: request.variables }) };
      },
      onResponse: (status: number, body: string, context: Record<string, any>) => {
        const failed = load.expectedRefusal
          ? !body.includes(`"code":"${load.expectedRefusal}"`)
          : body.includes('"errors"') || body.includes('"userErrors":[{') || status >= 300;
        if (failed) {
          if (status < 300 || load.expectedRefusal) graphqlErrors++;
          failureSample ??= `HTTP ${status}: ${body.slice(0, 300)}`;
        }
        if (step.onBody) {
          try {
            step.onBody(JSON.parse(body), context);
          } catch {
            if (!failed) graphqlErrors++;
          }
        }
      },
    })) as never,
  } as never);
  const r = result as any;
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    failures: (load.expectedRefusal ? 0 : (r.non2xx ?? 0)) + (r.errors ?? 0) + (r.timeouts ?? 0) + graphqlErrors,
    ...(failureSample ? { failureSample } : {}),
  };
}

/**
 * `connections` concurrent closed loops over `call` for `durationS` seconds: the raw path's load,
 * and the write case's (where one call sends `requestsPerCall` requests; latency is per call
 * divided by that, throughput counts requests).
 */
export async function runLoop(
  call: (index: number, loop: number) => Promise<unknown>,
  connections: number,
  durationS: number,
  requestsPerCall = 1,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let failures = 0;
  let failureSample: string | undefined;
  let index = 0;
  const until = performance.now() + durationS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async (_, loop) => {
      while (performance.now() < until) {
        const t = performance.now();
        try {
          await call(index++, loop);
        } catch (error) {
          failures += requestsPerCall;
          failureSample ??= (error as Error).message.slice(0, 300);
        }
        latencies.push((performance.now() - t) / requestsPerCall);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  const requests = latencies.length * requestsPerCall;
  return { rps: requests / elapsed, p50: at(0.5), p99: at(0.99), requests, failures, ...(failureSample ? { failureSample } : {}) };
}

// ---- open-loop load at a fixed rate (the latency target) ----------------------------------------

export interface OpenLoopResult {
  /** Requests answered per second over the run. */
  rps: number;
  requests: number;
  failures: number;
  failureSample?: string;
  /** Latency from writing a request to the end of its answer, ms (exact, not bucketed). */
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** How late the client sent requests against their schedule, ms (its own timer jitter). */
  lateP99: number;
}

/**
 * Requests on a fixed schedule (one every 1000/rate ms), each sent at its time whether or not the
 * earlier ones have been answered: an open loop, as a steady stream of partner requests arrives.
 * autocannon's `overallRate` is not that: each connection sends back to back until it has used its
 * quota for the second, then waits for the next second (bursts at full concurrency), and it then
 * "corrects" latencies for coordinated omission with an expected interval of Math.ceil(1/rate) ms,
 * i.e. 1 ms, which back-fills a 6 ms answer with samples at 5, 4, 3 and 2 ms. Latency here is
 * measured from the moment each request is written, and the client's own lateness against the
 * schedule is reported beside it, so a slow client cannot hide in the server's figures.
 */
export async function runOpenLoop(url: string, rate: number, durationS: number, build: (index: number) => GraphQLRequest): Promise<OpenLoopResult> {
  const { request: httpRequest, Agent } = await import('node:http');
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const target = new URL(url);
  const total = Math.round(rate * durationS);
  const interval = 1000 / rate;
  const latencies: number[] = [];
  const lateness: number[] = [];
  let failures = 0;
  let failureSample: string | undefined;
  const answered: Promise<void>[] = [];
  const send = (index: number) =>
    new Promise<void>((resolve) => {
      const payload = build(index);
      const body = JSON.stringify({ query: payload.query, variables: payload.variables });
      const headers: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
      if (payload.token) headers.authorization = `Bearer ${payload.token}`;
      const sentAt = performance.now();
      const req = httpRequest({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          latencies.push(performance.now() - sentAt);
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200 || text.includes('"errors"')) {
            failures++;
            failureSample ??= `HTTP ${res.statusCode}: ${text.slice(0, 300)}`;
          }
          resolve();
        });
      });
      req.on('error', (error) => {
        failures++;
        failureSample ??= error.message;
        resolve();
      });
      req.end(body);
    });
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    lateness.push(Math.max(0, performance.now() - due));
    answered.push(send(i));
  }
  await Promise.all(answered);
  const elapsedS = (performance.now() - start) / 1000;
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  const at = (values: number[], q: number) => (values.length ? values[Math.min(values.length - 1, Math.floor(values.length * q))]! : Number.NaN);
  const round2 = (n: number) => Math.round(n * 100) / 100;
  return {
    rps: latencies.length / elapsedS,
    requests: latencies.length,
    failures,
    ...(failureSample ? { failureSample } : {}),
    p50: round2(at(sorted, 0.5)),
    p90: round2(at(sorted, 0.9)),
    p99: round2(at(sorted, 0.99)),
    max: round2(sorted.at(-1) ?? Number.NaN),
    lateP99: round2(at(lateness.sort((a, b) => a - b), 0.99)),
  };
}
