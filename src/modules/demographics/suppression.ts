/**
 * Small-number suppression of the representation reports, as a pure function.
 *
 * The publication set. For one (jurisdiction, year, context) the API can publish a table for the
 * whole city, for each body kind, for each body and for each council district (plus the respondents
 * whose district is unknown, which no filter selects but which the city's totals include). Every
 * report is a view of ONE jointly suppressed set of all those tables, computed whole on the year's
 * first read and then served as stored (reports.service.ts, `published_reports`), so two reports (say a body and its kind, or the city and a district) never disagree about
 * a cell and cannot be differenced into a hidden count.
 *
 * Cells. A cell is one count: respondents of a group, one answer status of a question (ANSWERED,
 * DECLINED, DONT_KNOW, NOT_ASKED), one category of a question. Some cells are VIRTUAL: numbers that
 * are never published but that a reader could compute (for a MULTIPLE question, the answerers who did
 * not choose a category); they exist so that the rules below protect them too.
 *
 * Additive lines. A line says total = sum of parts, and is declared by the caller: respondents =
 * statuses; respondents = DECLINED + DONT_KNOW + NOT_ASKED + the categories of a SINGLE question;
 * ANSWERED = its categories (SINGLE) or = category + "did not choose it" (MULTIPLE, one line per
 * category); and for each cell, the city = sum of the body kinds = sum of the bodies = sum of the
 * council districts (with the unknown district), a kind = sum of its bodies.
 *
 * Rules, applied until nothing changes (k is the jurisdiction's minimum count):
 * 1. Primary: a count from 1 to k-1 is suppressed (0 and counts of k or more may be published).
 * 2. Small groups: a group with 1 to k-1 respondents publishes no breakdown: every cell of it is
 *    suppressed, zeros included, and its respondent count by rule 1. A group nobody answered in
 *    publishes its zeros.
 * 3. Complementary: for every line whose total is published, the suppressed parts must add up to 0
 *    or to at least k, because a reader gets their sum by subtracting the published parts from the
 *    total; and no line may have exactly one withheld cell (total or part, virtual cells aside),
 *    which a reader would solve for exactly and carry into another line. Otherwise the smallest
 *    positive published part is suppressed as well (the total itself when no part is left to
 *    suppress), and the lines through it are checked again.
 * Suppression only grows, so the loop ends; every published number is the true count.
 */

/** One count of the publication set. */
export interface Cell {
  /** The true count (never returned for a suppressed cell by the report). */
  value: number;
  /** The group (table) the cell belongs to; `null` for cells outside any group. */
  group: string | null;
  /** Never published, whatever its value: a number a reader could compute, protected like a cell. */
  virtual?: boolean;
}

/** total = sum(parts), as cell indexes. */
export interface Line {
  total: number;
  parts: readonly number[];
}

export interface SuppressionInput {
  k: number;
  cells: readonly Cell[];
  lines: readonly Line[];
  /** Respondent-count cell of every group (rule 2). */
  groupRespondents: ReadonlyMap<string, number>;
}

/** `suppressed[i]` tells whether cell i must not be published. */
export function suppress(input: SuppressionInput, options: { complementary?: boolean } = {}): boolean[] {
  const { k, cells, lines } = input;
  const suppressed = cells.map((c) => c.virtual === true || (c.value > 0 && c.value < k));
  const smallGroups = new Set<string>();
  for (const [group, respondentsCell] of input.groupRespondents) {
    const respondents = cells[respondentsCell]!.value;
    if (respondents > 0 && respondents < k) smallGroups.add(group);
  }
  cells.forEach((c, i) => {
    if (c.group !== null && smallGroups.has(c.group) && i !== input.groupRespondents.get(c.group)) suppressed[i] = true;
  });
  if (options.complementary === false) return suppressed;

  // A worklist: a line is checked again only when one of its cells has just been suppressed.
  const linesOfCell = new Map<number, number[]>();
  lines.forEach((line, l) => {
    for (const cell of [line.total, ...line.parts]) {
      const list = linesOfCell.get(cell);
      if (list) list.push(l);
      else linesOfCell.set(cell, [l]);
    }
  });
  const pending = lines.map((_, l) => l);
  const queued = lines.map(() => true);
  while (pending.length > 0) {
    const l = pending.pop()!;
    queued[l] = false;
    const line = lines[l]!;
    const totalHidden = suppressed[line.total]!;
    let hidden = 0;
    let hiddenCells = totalHidden ? 1 : 0;
    let lastHidden = totalHidden ? line.total : -1;
    let smallest = -1;
    for (const part of line.parts) {
      const value = cells[part]!.value;
      if (suppressed[part]) {
        hidden += value;
        hiddenCells++;
        lastHidden = part;
      } else if (value > 0 && (smallest < 0 || value < cells[smallest]!.value)) smallest = part;
    }
    // A line is an equation. With one unknown cell it gives that cell away exactly, whatever its
    // value, and a value known exactly can be carried into the next equation (a hidden body cell
    // found from its kind, then subtracted from the city): so no line may have exactly one. A
    // virtual cell is the exception: it is in this one line only, and its value is checked below.
    const lone = hiddenCells === 1 && !cells[lastHidden]!.virtual;
    // Withheld parts under a published total add up to a number a reader gets by subtraction.
    const short = !totalHidden && hidden > 0 && hidden < k;
    if (!lone && !short) continue;
    const next = smallest >= 0 ? smallest : !totalHidden ? line.total : -1;
    if (next < 0) continue;
    suppressed[next] = true;
    // This line may still be short of k, and every line through the new cell may be too.
    for (const other of [l, ...(linesOfCell.get(next) ?? [])]) {
      if (!queued[other]) {
        queued[other] = true;
        pending.push(other);
      }
    }
  }
  return suppressed;
}
