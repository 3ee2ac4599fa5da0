import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Every relative link of the project's Markdown (the README, BENCHMARKS.md and the documents beside
// the code) names a file that exists and, with a #fragment, a heading it has. No server needed.
const root = fileURLToPath(new URL('../', import.meta.url));
const SKIP = new Set(['node_modules', '.git', '.data', 'dist', 'raw', 'postgraphile']);

function markdownFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    if (SKIP.has(entry.name)) return [];
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return markdownFiles(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(path: string): Set<string> {
  const text = readFileSync(path, 'utf8').replace(/```[\s\S]*?```/g, '');
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1]!)));
}

/** Relative links outside code: `[text](target)`, with or without a #fragment. */
function linksOf(path: string): string[] {
  const text = readFileSync(path, 'utf8').replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

const files = markdownFiles(root);

describe('Markdown links', () => {
  it('finds the documents', () => {
    expect(files.map((f) => relative(root, f))).toContain('README.md');
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(files.map((f) => [relative(root, f), f] as const))('%s: every relative link resolves', (_name, file) => {
    const broken: string[] = [];
    for (const link of linksOf(file)) {
      const [target, fragment] = link.split('#') as [string, string | undefined];
      const path = target === '' ? file : join(dirname(file), decodeURIComponent(target));
      if (!existsSync(path)) {
        broken.push(`${link}: no such file`);
        continue;
      }
      if (fragment && statSync(path).isFile() && path.endsWith('.md') && !anchorsOf(path).has(fragment)) {
        broken.push(`${link}: no heading #${fragment}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
