import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHttpInstance, type HttpInstance } from '../helpers/http-instance.ts';
import { openTestDatabase, type PortlandTestDatabase } from '../helpers/portland-database.ts';

// The worked client example of src/http/README.md ("For partner apps"), run as written against the
// real HTTP server: only the host is replaced, and console.log is captured.
const readme = readFileSync(new URL('../../src/http/README.md', import.meta.url), 'utf8');
const section = readme.slice(readme.indexOf('## A complete client in a few lines'));
const example = /```js\n([\s\S]*?)```/.exec(section)![1]!;

let database: PortlandTestDatabase;
let http: HttpInstance;

beforeAll(async () => {
  database = await openTestDatabase();
  http = await startHttpInstance(database.db);
});

afterAll(async () => {
  await http.close();
  await database.dispose();
});

it('the README client example runs and prints what its comment says', async () => {
  const expected = /console\.log\(.*\); \/\/ "(.*)"/.exec(example)![1];
  const code = example.replace('https://civic.example.gov', http.base);
  const printed: unknown[] = [];
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...args: unknown[]) => Promise<void>;
  // No key in the environment: the example runs as the public.
  const run = new AsyncFunction('fetch', 'process', 'console', code);
  await run(fetch, { env: {} }, { log: (...args: unknown[]) => printed.push(...args) });
  expect(printed).toEqual([expected]);
});
