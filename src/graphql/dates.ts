/** Today's calendar date in a time zone, YYYY-MM-DD: "as of today" means the city's today. */
export function todayIn(timezone: string, now: Date = new Date()): string {
  // From parts, not a locale's formatted string, whose layout has changed across ICU versions.
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}
