import { readFileSync } from 'node:fs';
import { startCivicGraph } from './servers.ts';
import { postGraphQL } from './measure.ts';
const s = await startCivicGraph({ databaseUrl: 'postgres://postgres@127.0.0.1:5432/civic_graph_bench_dev13', poolMax: 2, civicNode: 'current' });
console.log('ready', s.readyMs);
try {
  for (const q of readFileSync(process.argv[2]!, 'utf8').split('\n====\n')) {
    const [query, vars] = q.split('\n--vars ');
    const r = await postGraphQL(s.url, { query: query!, variables: vars ? JSON.parse(vars) : undefined });
    console.log(JSON.stringify(r).slice(0, 3000));
  }
} finally { await s.stop(); }
