/** The section put on top of the original SOURCES.md: how the normalized files were derived. */
export function derivationSection(): string {
  return `# Philadelphia dataset (civic-graph format)\n\n---\n\n`;
}
