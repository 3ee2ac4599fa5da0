/**
 * Demo data: clearly labelled sample people ("… (sample)", is_sample = true) holding some seats,
 * so rosters and vacancies have something to show. Deterministic (fixed seed) and idempotent.
 * Never called by the import; `npm start` adds it when SAMPLE_MEMBERS is true.
 */
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { jurisdictions, memberships, organizations, people, posts } from '../db/schema/index.ts';
import { addDays } from '../input/calendar.ts';

const SEED = 20250101;
const SUFFIX = ' (sample)';
const BIO = 'Sample person generated for the demo; not a real person.';

// Common given and family names, combined at random: no real person is described.
const GIVEN = ['Alex', 'Bea', 'Cam', 'Dana', 'Eli', 'Fern', 'Gus', 'Hana', 'Ivo', 'Jo', 'Kai', 'Lena', 'Milo', 'Nia', 'Omar', 'Pia', 'Quinn', 'Rosa', 'Sam', 'Tess', 'Uma', 'Vic', 'Wren', 'Yara', 'Zane'];
const FAMILY = ['Alder', 'Birch', 'Cedar', 'Dogwood', 'Elm', 'Fir', 'Hazel', 'Juniper', 'Laurel', 'Maple', 'Oak', 'Pine', 'Quince', 'Rowan', 'Spruce', 'Tamarack', 'Willow', 'Yew'];

/** mulberry32: a tiny seeded PRNG, enough for reproducible demo data. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Calendar arithmetic on ISO dates, in UTC so the machine's time zone cannot shift a day. */
function addMonths(iso: string, months: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

interface SeatRow {
  postId: number;
  organizationId: number;
  orgKind: string;
  orgStatus: string;
  selectionMethod: string;
  role: string;
  maxHolders: number;
  termLengthMonths: number | null;
  createdOn: string | null;
}

interface PlannedMembership {
  seat: SeatRow;
  startDate: string;
  endDate: string | null;
  scheduledEndDate: string | null;
}

/** Decides who sits where; a pure function of the seats (in a fixed order) and the seed. */
export function planSampleMemberships(seats: readonly SeatRow[], rand: () => number): PlannedMembership[] {
  const plan: PlannedMembership[] = [];
  const int = (n: number) => Math.floor(rand() * n);

  // Council seats: one vacancy on each district seat except the last, which is full.
  const council = seats.filter((s) => s.orgKind === 'COUNCIL' && s.selectionMethod === 'ELECTED');
  council.forEach((seat, i) => {
    const holders = i === council.length - 1 ? seat.maxHolders : seat.maxHolders - 1;
    const start = seat.createdOn ?? '2025-01-01';
    const scheduledEnd = seat.termLengthMonths ? addMonths(start, seat.termLengthMonths) : null;
    for (let h = 0; h < holders; h++) plan.push({ seat, startDate: start, endDate: null, scheduledEndDate: scheduledEnd });
  });

  // About half of the active advisory bodies' appointed seats get a few members, never all seats.
  const advisory = seats.filter((s) => s.orgKind === 'ADVISORY_BODY' && s.orgStatus === 'ACTIVE' && s.selectionMethod === 'APPOINTED');
  const shuffled = advisory.map((seat) => ({ seat, order: rand() })).sort((a, b) => a.order - b.order).map((x) => x.seat);
  const chosen = shuffled.slice(0, Math.ceil(advisory.length / 2));
  for (const seat of chosen) {
    const holders = Math.min(seat.maxHolders - 1, 2 + int(3));
    for (let h = 0; h < holders; h++) {
      const start = addDays('2023-01-01', int(3 * 365));
      const scheduledEnd = seat.termLengthMonths ? addMonths(start, seat.termLengthMonths) : null;
      plan.push({ seat, startDate: start, endDate: null, scheduledEndDate: scheduledEnd });
    }
  }

  // One finished term, so histories and "as of" queries show a past holder.
  const past = chosen.find((s) => s.termLengthMonths) ?? chosen[0];
  if (past) {
    const start = addDays('2018-01-01', int(365));
    const end = addMonths(start, past.termLengthMonths ?? 36);
    plan.push({ seat: past, startDate: start, endDate: end, scheduledEndDate: end });
  }
  return plan;
}

function sampleNames(count: number, rand: () => number): Array<{ name: string; sortName: string }> {
  const seen = new Set<string>();
  const names: Array<{ name: string; sortName: string }> = [];
  if (count > GIVEN.length * FAMILY.length) throw new Error('not enough sample name combinations');
  while (names.length < count) {
    const given = GIVEN[Math.floor(rand() * GIVEN.length)]!;
    const family = FAMILY[Math.floor(rand() * FAMILY.length)]!;
    if (seen.has(`${given} ${family}`)) continue;
    seen.add(`${given} ${family}`);
    names.push({ name: `${given} ${family}${SUFFIX}`, sortName: `${family}, ${given}${SUFFIX}` });
  }
  return names;
}

export async function addSampleMembers(db: Database, jurisdictionSlug: string): Promise<{ people: number; memberships: number }> {
  const [jurisdiction] = await db.select({ id: jurisdictions.id }).from(jurisdictions).where(eq(jurisdictions.slug, jurisdictionSlug));
  if (!jurisdiction) throw new Error(`No jurisdiction "${jurisdictionSlug}": import its dataset first`);
  const jurisdictionId = jurisdiction.id;

  return db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: people.id })
      .from(people)
      .where(and(eq(people.jurisdictionId, jurisdictionId), eq(people.isSample, true)))
      .limit(1);
    if (existing) return { people: 0, memberships: 0 };

    const seats: SeatRow[] = await tx
      .select({
        postId: posts.id,
        organizationId: posts.organizationId,
        orgKind: organizations.kind,
        orgStatus: organizations.status,
        selectionMethod: posts.selectionMethod,
        role: posts.role,
        maxHolders: posts.maxHolders,
        termLengthMonths: posts.termLengthMonths,
        createdOn: posts.createdOn,
      })
      .from(posts)
      .innerJoin(organizations, eq(organizations.id, posts.organizationId))
      .where(and(eq(posts.jurisdictionId, jurisdictionId), isNull(posts.abolishedOn)))
      .orderBy(asc(organizations.slug), asc(posts.sourceKey));

    // Seats already held (by real members entered by staff) keep their room: skip any seat in use.
    const held = new Set((await tx.select({ postId: memberships.postId }).from(memberships).where(eq(memberships.jurisdictionId, jurisdictionId))).map((m) => m.postId));
    const rand = mulberry32(SEED);
    const plan = planSampleMemberships(seats.filter((s) => !held.has(s.postId)), rand);
    if (plan.length === 0) return { people: 0, memberships: 0 };

    const names = sampleNames(plan.length, rand);
    const inserted = await tx
      .insert(people)
      .values(names.map((n) => ({ jurisdictionId, name: n.name, sortName: n.sortName, publicBio: BIO, isSample: true })))
      .returning({ id: people.id, name: people.name });
    const idByName = new Map(inserted.map((p) => [p.name, p.id]));
    await tx.insert(memberships).values(
      plan.map((p, i) => ({
        jurisdictionId,
        personId: idByName.get(names[i]!.name)!,
        organizationId: p.seat.organizationId,
        postId: p.seat.postId,
        role: p.seat.role,
        startDate: p.startDate,
        endDate: p.endDate,
        scheduledEndDate: p.scheduledEndDate,
        endReason: p.endDate ? ('TERM_COMPLETED' as const) : null,
      })),
    );
    return { people: inserted.length, memberships: plan.length };
  });
}
