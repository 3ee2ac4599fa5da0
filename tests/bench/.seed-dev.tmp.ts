import { seedBenchDatabase } from './seed.ts';
const r = await seedBenchDatabase('postgres://postgres@127.0.0.1:5432/civic_graph_bench_dev13', Number(process.argv[2] ?? 1), { log: console.log });
console.log(r);
