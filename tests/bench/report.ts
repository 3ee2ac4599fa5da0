/**
 * The benchmark's table in Markdown, and its place in BENCHMARKS.md: the generated part lives
 * between two markers, so the hand-written notes around it (what was tried, what each change
 * bought) survive a rerun.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { BenchResult, CaseServerResult } from './harness.ts';
import { VENDORED_CITIES } from '../../src/datasets/vendored.ts';
import { LOCATE_P99_TARGET_MS, type ServerName } from './cases.ts';

const startMarker = (key: string) => `<!-- bench:generated:${key}:start -->`;
const endMarker = (key: string) => `<!-- bench:generated:${key}:end -->`;

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);
const fmt = (n: number | undefined, digits = 0) => (n === undefined || Number.isNaN(n) ? '–' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
export const meanRps = (r: CaseServerResult | undefined) => mean(r?.rounds.map((x) => x.rps) ?? []);
/** Latencies of rounds in which no request completed are unknown, not zero. */
const answered = (r: CaseServerResult | undefined) => r?.rounds.filter((x) => x.requests > 0) ?? [];
export const worstP99 = (r: CaseServerResult | undefined) => {
  if (!r?.rounds.length || answered(r).length < r.rounds.length) return Number.NaN;
  return Math.max(...r.rounds.map((x) => x.p99));
};
const medianP50 = (r: CaseServerResult | undefined) => mean(answered(r).map((x) => x.p50));

export function renderTable(result: BenchResult): string {
  const o = result.options;
  const lines: string[] = [];
  lines.push(`Run ${result.startedAt} → ${result.finishedAt} (UTC).`);
  lines.push('');
  lines.push(`- Machine: ${result.machine.cpu}, ${result.machine.cores} cores, ${result.machine.memoryGb} GB; ${result.machine.postgres}.`);
  lines.push(`- **Load average at start ${result.machine.loadAtStart.join(' / ')}, at end ${result.machine.loadAtEnd.join(' / ')}** (1/5/15 min). Servers, PostgreSQL and the load generator share these cores; above ~0.5 at start the machine was busy with other work and the numbers are noisy.`);
  lines.push(`- Versions: ${Object.entries(result.versions).map(([k, v]) => `${k} ${v}`).join('; ')}.`);
  lines.push(`- Scale ${result.seed.scale}: ${Object.entries(result.seed.counts).map(([k, v]) => `${fmt(v)} ${k}`).join(', ')}.`);
  lines.push(`- Load: autocannon, ${o.connections} connections, ${o.warmupS} s warm-up then ${o.durationS} s per server and case, ${o.rounds} rounds in alternating order (round 2 reversed); the raw path runs ${o.connections} concurrent loops in the harness process. Pool size ${o.poolMax} everywhere.`);
  lines.push(`- Statements and DB time per request: counted by PostgreSQL, ${result.countMethod}; ${o.countRequests} sequential requests per case and server, on separately started servers (so counting costs nothing during timing).`);
  lines.push('');
  lines.push('| case | server | req/s (rounds) | req/s mean | ×PostGraphile | ×raw | p50 ms | p99 ms (worst round) | SQL stmts/req | DB ms/req | equal data |');
  lines.push('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const c of result.cases) {
    const pg = meanRps(c.results.postgraphile);
    const raw = meanRps(c.results.raw);
    for (const name of ['civic-graph', 'postgraphile', 'raw'] as ServerName[]) {
      const r = c.results[name];
      if (!r) continue;
      if (r.na) {
        lines.push(`| ${c.id} | ${name} | n/a: ${r.na} | | | | | | | | |`);
        continue;
      }
      const rps = meanRps(r);
      let equal = r.refusedAsExpected !== undefined ? (r.refusedAsExpected ? 'refused, 0 SQL ✓' : '✗ not refused') : r.equal ? '✓' : '✗';
      if (r.invalidation) equal += r.invalidation.ok ? '; a write shows in the next answer ✓' : `; ✗ stale after a write: ${r.invalidation.detail}`;
      lines.push(
        `| ${c.id} | ${name} | ${r.rounds.map((x) => (x.requests === 0 ? '0 (none completed)' : fmt(x.rps))).join(', ')} | ${fmt(rps)} | ${name === 'postgraphile' ? '1.00' : Number.isFinite(rps / pg) ? fmt(rps / pg, 2) : '–'} | ${name === 'raw' ? '1.00' : fmt(rps / raw, 2)} | ${fmt(medianP50(r), 1)} | ${fmt(worstP99(r), 1)} | ${fmt(r.statementsPerRequest, 1)} | ${fmt(r.dbMsPerRequest, 2)} | ${equal} |`,
      );
    }
  }
  lines.push('');
  lines.push(`Case titles: ${result.cases.map((c) => `**${c.id}** ${c.title}`).join('; ')}.`);
  lines.push('');
  lines.push(`Peak RSS (VmHWM of the server process, whole run): ${Object.entries(result.peakRssMb).map(([k, v]) => `${k} ${fmt(v ?? undefined)} MB`).join(', ')}. Ready after start: ${Object.entries(result.readyMs).map(([k, v]) => `${k} ${fmt(v)} ms`).join(', ')}.`);
  if (result.startup) {
    // Older results (before issue 13) have no `cities`.
    const cities = result.startup.cities?.length ? result.startup.cities.join(', ') : 'Portland';
    lines.push(
      `\nEmbedded \`npm start\` (the command itself: npm, the esbuild bundle, Node, PGlite; from spawning it to the first answer, with no other server of the run running): first start, importing ${cities}, ${fmt(result.startup.coldMs)} ms; then on the warm data folder ${result.startup.warmMs.map((ms) => `${fmt(ms)} ms`).join(', ')}.`,
    );
  }
  const openLoops = result.cases.flatMap((c) => {
    const open = c.results['civic-graph']?.openLoop;
    return open ? [{ id: c.id, open }] : [];
  });
  const q5 = openLoops.find((o) => o.id === 'Q5')?.open;
  const q5autocannon = result.cases.find((c) => c.id === 'Q5')?.results['civic-graph']?.fixedRate;
  if (openLoops.length) {
    const rate = openLoops[0]!.open.rate;
    lines.push(
      `\n\`locate\` at a fixed ${rate} req/s, open loop (one request every ${fmt(1000 / rate, 1)} ms, sent on schedule whatever the earlier ones are doing; latency from writing the request to the end of its answer):`,
    );
    for (const { id, open } of openLoops) {
      lines.push(
        `- ${id}: p50 ${fmt(open.p50, 2)} ms, p90 ${fmt(open.p90, 2)} ms, **p99 ${fmt(open.p99, 2)} ms**, max ${fmt(open.max, 2)} ms; ${fmt(open.rps)} req/s answered, ${open.failures} failed; the client sent 99% of requests within ${fmt(open.lateP99, 2)} ms of their time.`,
      );
    }
  }
  if (q5autocannon) {
    lines.push(
      `\nQ5 with autocannon \`overallRate\` ${q5autocannon.rate} (4 connections; bursts at full concurrency until each connection's quota for the second is used, and latencies back-filled with a 1 ms expected interval; kept for comparison with earlier runs): p50 ${fmt(q5autocannon.p50, 1)} ms, p99 ${fmt(q5autocannon.p99, 1)} ms.`,
    );
  }
  lines.push('');
  lines.push('Targets (issue 6):');
  const q3 = result.cases.find((c) => c.id === 'Q3');
  if (q3) {
    const cg = q3.results['civic-graph'];
    const pgr = q3.results.postgraphile;
    const rawr = q3.results.raw;
    const ratio = meanRps(cg) / meanRps(pgr);
    const rawRatio = meanRps(cg) / meanRps(rawr);
    const unknown = 'not measurable in this run (a server completed no request in a round)';
    lines.push(`- Q3 ≥ 1.2× PostGraphile req/s: ${Number.isFinite(ratio) ? `**${fmt(ratio, 2)}×** ${ratio >= 1.2 ? 'met' : 'not met'}` : unknown}.`);
    const p99s = [worstP99(cg), worstP99(pgr)];
    lines.push(`- Q3 p99 no worse than PostGraphile's: ${p99s.some(Number.isNaN) ? unknown : `${fmt(p99s[0], 1)} vs ${fmt(p99s[1], 1)} ms — ${p99s[0]! <= p99s[1]! ? 'met' : 'not met'}`}.`);
    lines.push(`- Q3 one SQL statement per root field: ${fmt(cg?.statementsPerRequest, 1)} per request — ${cg?.statementsPerRequest !== undefined && cg.statementsPerRequest <= 1 ? 'met' : 'not met'}.`);
    lines.push(`- Q3 ≥ 40% of the raw limit: **${fmt(rawRatio * 100)}%** — ${rawRatio >= 0.4 ? 'met' : 'not met'}.`);
  }
  const openLoopTarget = (id: string, open: (typeof openLoops)[number]['open']) =>
    `- ${id} p99 < ${fmt(open.targetP99Ms ?? LOCATE_P99_TARGET_MS)} ms at ${open.rate} req/s (open loop): ${fmt(open.p99, 2)} ms — ${open.p99 < (open.targetP99Ms ?? LOCATE_P99_TARGET_MS) ? 'met' : 'not met'}.`;
  if (q5) lines.push(openLoopTarget('Q5', q5));
  const rss = result.peakRssMb['civic-graph'];
  if (rss) lines.push(`- Peak RSS under 300 MB: civic-graph ${rss} MB — ${rss < 300 ? 'met' : 'not met'}.`);
  const warmest = result.startup?.warmMs.length ? Math.max(...result.startup.warmMs) : undefined;
  if (warmest !== undefined) lines.push(`- Embedded \`npm start\` ready in under 3 s on a warm data folder: slowest of ${result.startup!.warmMs.length} starts ${fmt(warmest)} ms — ${warmest < 3000 ? 'met' : 'not met'}.`);
  const q3c = result.cases.find((c) => c.id === 'Q3c');
  if (q3c) {
    const ratio = meanRps(q3c.results['civic-graph']) / meanRps(q3c.results.postgraphile);
    const inv = q3c.results['civic-graph']?.invalidation;
    lines.push(
      `- Response cache on, Q3 ≥ 10× PostGraphile req/s: ${Number.isFinite(ratio) ? `**${fmt(ratio, 1)}×** — ${ratio >= 10 ? 'met' : 'not met'}` : 'not measurable in this run'}; invalidated by a write at once: ${inv ? (inv.ok ? 'yes — met' : `**no** — ${inv.detail}`) : 'not checked'}.`,
    );
  }
  lines.push('- Scale (−25% at most from scale 1 to 100): compare a `--scale 1` and a `--scale 100` run (see below).');

  // Issue 13: the same model serving three cities.
  const perCity = result.cases.filter((c) => /^Q\d+(phl|nyc)$/.test(c.id));
  if (perCity.length || result.startup) {
    lines.push('');
    lines.push('Targets (issue 13, three cities: Portland, Philadelphia, New York in one database):');
    for (const { id, open } of openLoops) if (id !== 'Q5') lines.push(openLoopTarget(id, open));
    for (const c of perCity.filter((c) => !c.results['civic-graph']?.openLoop)) {
      const cg = c.results['civic-graph'];
      const ratio = meanRps(cg) / meanRps(c.results.postgraphile);
      lines.push(
        `- ${c.id} (no target of its own): ${fmt(meanRps(cg))} req/s${Number.isFinite(ratio) ? `, ${fmt(ratio, 2)}× PostGraphile` : ''}, p99 ${fmt(worstP99(cg), 1)} ms, ${fmt(cg?.statementsPerRequest, 1)} SQL statements per request; equal data on every path: ${Object.values(c.results).every((r) => r?.na || r?.equal) ? 'yes' : '**no**'}.`,
      );
    }
    if (rss) lines.push(`- Peak RSS under load < 300 MB, with the three cities' cases in the run: civic-graph ${rss} MB — ${rss < 300 ? 'met' : 'not met'}.`);
    if (result.startup) {
      const { coldMs, cities = [] } = result.startup;
      lines.push(`- First embedded \`npm start\` with the three cities < 15 s: ${fmt(coldMs)} ms, answering for ${cities.join(', ') || 'no city recorded'} — ${coldMs < 15_000 && VENDORED_CITIES.every((c) => cities.includes(c)) ? 'met' : 'not met'}.`);
      if (warmest !== undefined) lines.push(`- Warm embedded \`npm start\` < 2 s: slowest of ${result.startup.warmMs.length} starts ${fmt(warmest)} ms — ${warmest < 2000 ? 'met' : 'not met'}.`);
    }
    lines.push('- Scale 1 → 100 loses < 25%: the synthetic layer grows Portland only; the per-city cases run on the same Philadelphia and New York data at every scale, amid Portland\'s larger tables (compare the runs below).');
  }
  if (result.problems.length) {
    lines.push('');
    lines.push('Problems seen in this run:');
    for (const p of result.problems) lines.push(`- ${p}`);
  }
  return lines.join('\n');
}

/** Replaces the generated section of BENCHMARKS.md (or appends one), keeping everything else. */
export function writeBenchmarksFile(path: string, key: string, heading: string, table: string): void {
  const START_MARKER = startMarker(key);
  const END_MARKER = endMarker(key);
  const block = `${START_MARKER}\n## ${heading}\n\n${table}\n${END_MARKER}`;
  if (!existsSync(path)) {
    writeFileSync(path, `# Benchmarks\n\nGenerated by \`npm run bench\` (tests/bench/); see README.md.\n\n${block}\n`);
    return;
  }
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf(START_MARKER);
  const end = text.indexOf(END_MARKER);
  writeFileSync(path, start >= 0 && end > start ? `${text.slice(0, start)}${block}${text.slice(end + END_MARKER.length)}` : `${text.trimEnd()}\n\n${block}\n`);
}
