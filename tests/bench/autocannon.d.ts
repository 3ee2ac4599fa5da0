// autocannon ships no types; the harness uses its documented programmatic API (options in, result out).
declare module 'autocannon' {
  const autocannon: (options: Record<string, unknown>) => Promise<Record<string, unknown>>;
  export default autocannon;
}
