/**
 * Deterministic serializers for the dataset format: the same records always give the same bytes,
 * so converter output can be committed and checked for freshness.
 */
import type { DivisionFeature } from './format.ts';

type Cell = string | number | boolean | null;

/** RFC 4180 quoting: only when needed, so files stay readable and diffs small. */
function csvCell(value: Cell): string {
  if (value === null) return '';
  const text = String(value);
  if (text === '') throw new Error('empty strings cannot be written: an empty CSV cell means NULL');
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv<C extends string>(columns: readonly C[], rows: ReadonlyArray<Record<C, Cell>>): string {
  const lines = [columns.join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvCell(row[c])).join(','));
  return `${lines.join('\n')}\n`;
}

/** One feature per line: stable, diff-friendly, and far smaller than pretty-printed coordinates. */
export function toFeatureCollection(features: readonly DivisionFeature[]): string {
  const lines = features.map((f) =>
    JSON.stringify({
      type: 'Feature',
      properties: {
        key: f.properties.key,
        kind: f.properties.kind,
        name: f.properties.name,
        ocdId: f.properties.ocdId,
        parentKey: f.properties.parentKey,
        validFrom: f.properties.validFrom,
        validUntil: f.properties.validUntil,
        source: f.properties.source,
      },
      geometry: f.geometry,
    }),
  );
  return `{"type":"FeatureCollection","features":[\n${lines.join(',\n')}\n]}\n`;
}

/** Code-point order, not localeCompare: the result must not depend on the machine's locale. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  return [...items].sort((a, b) => compareKeys(key(a), key(b)));
}
