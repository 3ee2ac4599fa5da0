/**
 * Reads and validates a dataset folder completely before anything is written: every problem is
 * collected (file, row or feature, field) and reported together.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MultiPolygon } from 'geojson';
import {
  COMPOSITION_RULE_COLUMNS,
  COMPLIANCE_REQUIREMENT_COLUMNS,
  type ComplianceRequirementRecord,
  NOTICE_DEADLINE_COLUMNS,
  NOTICE_PROCEDURE_COLUMNS,
  NOTICE_RULE_COLUMNS,
  type NoticeDeadlineRecord,
  type NoticeProcedureRecord,
  type NoticeRuleRecord,
  DATASET_FILES,
  KIND_COLUMNS,
  KIND_NAME_COLUMNS,
  LINK_COLUMNS,
  MEMBERSHIP_COLUMNS,
  ORGANIZATION_COLUMNS,
  ORGANIZATION_CONTACT_COLUMNS,
  PERSON_COLUMNS,
  POST_COLUMNS,
  type DivisionProperties,
  type JurisdictionRecord,
  type KindNameRecord,
  type KindRecord,
  type CompositionRuleRecord,
  type LinkRecord,
  type MembershipRecord,
  type OrganizationContactRecord,
  type OrganizationRecord,
  type PersonRecord,
  type PostRecord,
} from '../datasets/format.ts';
import { parseCsvTable } from './csv.ts';
import {
  compositionRuleSchema,
  complianceRequirementSchema,
  noticeDeadlineSchema,
  noticeProcedureSchema,
  noticeRuleSchema,
  describeIssues,
  divisionFeatureSchema,
  jurisdictionSchema,
  kindNameSchema,
  kindSchema,
  linkSchema,
  membershipSchema,
  organizationContactSchema,
  organizationSchema,
  personSchema,
  parseNominators,
  postSchema,
} from './dataset-schema.ts';
import { DatasetValidationError } from './errors.ts';
import { loadBoundaryReader, type BoundaryReader } from './boundary-reader.ts';
import { bboxOf, type BBox } from './geometry.ts';

export interface DatasetDivision {
  properties: DivisionProperties;
  boundary: MultiPolygon | null;
  bbox: BBox | null;
}

export interface Dataset {
  jurisdiction: JurisdictionRecord;
  /** kinds.csv: the city's division and organization kinds with their policies. */
  kinds: KindRecord[];
  /** kind_names.csv (optional): the kinds' names in the city's other locales. */
  kindNames: KindNameRecord[];
  divisions: DatasetDivision[];
  organizations: OrganizationRecord[];
  links: LinkRecord[];
  posts: PostRecord[];
  /** Public officials (people.csv, optional) and their terms (memberships.csv, optional). */
  people: PersonRecord[];
  memberships: MembershipRecord[];
  /** Organizations' office channels (organization_contacts.csv, optional). */
  organizationContacts: OrganizationContactRecord[];
  /** From the optional composition_rules.csv; empty when the file is absent. */
  compositionRules: CompositionRuleRecord[];
  /** Land-use notice procedures, their rules and deadlines (notice_*.csv, optional). */
  noticeProcedures: NoticeProcedureRecord[];
  noticeRules: NoticeRuleRecord[];
  noticeDeadlines: NoticeDeadlineRecord[];
  /** What each organization kind must do to keep its standing (compliance_requirements.csv, optional). */
  complianceRequirements: ComplianceRequirementRecord[];
}

export function linkKey(l: Pick<LinkRecord, 'member_key' | 'parent_key' | 'kind' | 'start_date'>): string {
  return `${l.member_key} -> ${l.parent_key} (${l.kind}, from ${l.start_date ?? 'the beginning'})`;
}

async function readText(folder: string, file: string, issues: string[], optional = false): Promise<string | null> {
  try {
    return await readFile(join(folder, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (optional && code === 'ENOENT') return null;
    issues.push(code === 'ENOENT' ? `${file}: file is missing` : `${file}: cannot be read (${code})`);
    return null;
  }
}

/** A file the format marks optional: null (no issue) when it is absent. */
async function readOptionalText(folder: string, file: string, issues: string[]): Promise<string | null> {
  try {
    return await readFile(join(folder, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') issues.push(`${file}: cannot be read (${code})`);
    return null;
  }
}

/** posts.csv references (nominators, consenting body, alternates) and composition_rules.csv. */
function checkSeatFilling(
  posts: Array<{ line: number; record: PostRecord }>,
  rules: Array<{ line: number; record: CompositionRuleRecord }>,
  orgKeys: ReadonlySet<string>,
  /** False when some posts.csv rows were refused: then a body's seats are not all known. */
  postsComplete: boolean,
  issues: string[],
): void {
  const F = DATASET_FILES;
  const postKeys = new Set(posts.map((p) => `${p.record.organization_key}/${p.record.key}`));
  for (const { line, record } of posts) {
    const where = `${F.posts} line ${line} (${record.organization_key}/${record.key})`;
    for (const ref of parseNominators(record.nominated_by ?? null) ?? []) {
      if (ref.kind === 'org' && !orgKeys.has(ref.organization_key)) {
        issues.push(`${where}: nominated_by "org:${ref.organization_key}" is not an organization in ${F.organizations}`);
      }
      if (ref.kind === 'post' && !postKeys.has(`${ref.organization_key}/${ref.post_key}`)) {
        issues.push(`${where}: nominated_by "post:${ref.organization_key}/${ref.post_key}" is not a post in ${F.posts}`);
      }
      if (ref.kind === 'post' && ref.organization_key === record.organization_key && ref.post_key === record.key) {
        issues.push(`${where}: nominated_by: a seat cannot nominate to itself`);
      }
    }
    if (record.confirmed_by != null && !orgKeys.has(record.confirmed_by)) {
      issues.push(`${where}: confirmed_by "${record.confirmed_by}" is not an organization in ${F.organizations}`);
    }
    if (record.alternate_for != null && !postKeys.has(`${record.organization_key}/${record.alternate_for}`)) {
      issues.push(`${where}: alternate_for "${record.alternate_for}" is not a post of organization "${record.organization_key}" in ${F.posts}`);
    }
  }
  checkUnique(F.compositionRules, rules, (r) => `${r.organization_key}/${r.code}`, 'rule', issues);
  for (const { line, record } of rules) {
    const where = `${F.compositionRules} line ${line} (${record.organization_key}/${record.code})`;
    if (!orgKeys.has(record.organization_key)) {
      issues.push(`${where}: organization_key "${record.organization_key}" is not an organization in ${F.organizations}`);
      continue;
    }
    const seats = posts.filter((p) => p.record.organization_key === record.organization_key && p.record.voting !== false);
    if (!postsComplete) continue;
    if (seats.length === 0) issues.push(`${where}: organization "${record.organization_key}" has no voting seat in ${F.posts} for the rule to apply to`);
    else if (record.rule === 'MIN_SHARE_NOMINATED' && !seats.some((p) => p.record.nominated_by != null)) {
      issues.push(`${where}: MIN_SHARE_NOMINATED needs a voting seat of "${record.organization_key}" with nominated_by in ${F.posts}`);
    }
  }
}

function parseJson(file: string, text: string | null, issues: string[]): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    issues.push(`${file}: not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

function readJurisdiction(raw: unknown, issues: string[]): JurisdictionRecord | null {
  if (raw === undefined) return null;
  const parsed = jurisdictionSchema.safeParse(raw);
  if (!parsed.success) issues.push(...describeIssues(DATASET_FILES.jurisdiction, parsed.error));
  return parsed.success ? parsed.data : null;
}

function readDivisions(raw: unknown, readBoundary: BoundaryReader, issues: string[], rejected: Set<string>): DatasetDivision[] {
  if (raw === undefined) return [];
  const file = DATASET_FILES.divisions;
  const collection = raw as { type?: unknown; features?: unknown };
  if (collection?.type !== 'FeatureCollection' || !Array.isArray(collection.features)) {
    issues.push(`${file}: must be a GeoJSON FeatureCollection`);
    return [];
  }
  const divisions: DatasetDivision[] = [];
  collection.features.forEach((feature: unknown, index) => {
    const rawKey = (feature as { properties?: { key?: unknown } })?.properties?.key;
    const where = `${file} feature ${index}${typeof rawKey === 'string' ? ` (key "${rawKey}")` : ''}`;
    const parsed = divisionFeatureSchema.safeParse(feature);
    if (!parsed.success) {
      issues.push(...describeIssues(where, parsed.error));
      if (typeof rawKey === 'string') rejected.add(rawKey);
      return;
    }
    const { properties, geometry } = parsed.data;
    if (geometry === null) {
      divisions.push({ properties, boundary: null, bbox: null });
      return;
    }
    // The same reading as associationBoundarySet's: shape, limits, GEOS validity, RFC 7946 winding.
    const { boundary, problems } = readBoundary(geometry);
    if (!boundary) {
      issues.push(...problems.map((p) => `${where}: geometry${p.message.startsWith('coordinates') ? '.' : ': '}${p.message}`));
      rejected.add(properties.key);
      return;
    }
    divisions.push({ properties, boundary, bbox: bboxOf(boundary) });
  });
  return divisions;
}

function readTable<C extends string, T>(
  file: string,
  text: string | null,
  columns: readonly C[],
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: import('zod').ZodError } },
  label: (values: Record<C, string | null>) => string,
  issues: string[],
  rejected?: Set<string>,
): Array<{ line: number; record: T }> {
  if (text === null) return [];
  const out: Array<{ line: number; record: T }> = [];
  for (const row of parseCsvTable(file, text, columns, issues)) {
    const parsed = schema.safeParse(row.values);
    if (parsed.success) out.push({ line: row.line, record: parsed.data });
    else {
      issues.push(...describeIssues(`${file} line ${row.line} (${label(row.values)})`, parsed.error));
      const key = (row.values as Record<string, string | null>).key;
      if (key) rejected?.add(key);
    }
  }
  return out;
}

/** Reports every duplicate key, naming where it appears again. */
function checkUnique<T>(file: string, rows: Array<{ line: number; record: T }>, keyOf: (r: T) => string, what: string, issues: string[]) {
  const seen = new Map<string, number>();
  for (const { line, record } of rows) {
    const k = keyOf(record);
    const first = seen.get(k);
    if (first !== undefined) issues.push(`${file} line ${line}: duplicate ${what} "${k}" (first on line ${first})`);
    else seen.set(k, line);
  }
}

function checkDivisionTree(divisions: DatasetDivision[], rejected: ReadonlySet<string>, issues: string[]): void {
  const file = DATASET_FILES.divisions;
  const byKey = new Map<string, DatasetDivision>();
  const ocdIds = new Set<string>();
  for (const d of divisions) {
    const { key, ocdId } = d.properties;
    if (byKey.has(key)) issues.push(`${file}: duplicate key "${key}"`);
    if (ocdIds.has(ocdId)) issues.push(`${file} (key "${key}"): duplicate ocdId "${ocdId}"`);
    byKey.set(key, d);
    ocdIds.add(ocdId);
  }
  for (const d of divisions) {
    // Walk up the parents: a missing parent or a cycle is reported once per division.
    const seen = new Set<string>([d.properties.key]);
    let parent = d.properties.parentKey;
    while (parent !== null) {
      const next = byKey.get(parent);
      if (!next && rejected.has(parent)) break; // already reported
      if (!next) {
        issues.push(`${file} (key "${d.properties.key}"): parentKey "${parent}" is not a division in this file`);
        break;
      }
      if (seen.has(parent)) {
        issues.push(`${file} (key "${d.properties.key}"): parentKey forms a cycle through "${parent}"`);
        break;
      }
      seen.add(parent);
      parent = next.properties.parentKey;
    }
  }
}

export type Period = { start: string | null; end: string | null };
/** Whether two half-open [start, end) periods share a day; a null bound is unbounded. */
export function overlapping(a: Period, b: Period): boolean {
  return (a.end === null || b.start === null || b.start < a.end) && (b.end === null || a.start === null || a.start < b.end);
}

/** Mirrors the database's exclusion constraints on organization_links, with readable messages. */
function checkLinkPeriods(links: Array<{ line: number; record: LinkRecord }>, issues: string[]): void {
  const file = DATASET_FILES.organizationLinks;
  for (let i = 0; i < links.length; i++) {
    for (let j = i + 1; j < links.length; j++) {
      const a = links[i]!;
      const b = links[j]!;
      if (a.record.member_key !== b.record.member_key) continue;
      const pa = { start: a.record.start_date, end: a.record.end_date };
      const pb = { start: b.record.start_date, end: b.record.end_date };
      if (!overlapping(pa, pb)) continue;
      const samePair = a.record.parent_key === b.record.parent_key && a.record.kind === b.record.kind;
      const twoCoalitions = a.record.kind === 'DISTRICT_COALITION' && b.record.kind === 'DISTRICT_COALITION';
      if (samePair) issues.push(`${file} lines ${a.line} and ${b.line}: the same link over overlapping dates`);
      else if (twoCoalitions) {
        issues.push(`${file} lines ${a.line} and ${b.line}: "${a.record.member_key}" would be in two district coalitions at once`);
      }
    }
  }
}

/**
 * memberships.csv against people.csv and posts.csv: known person and post, and never more holders of
 * a post at once than its max_holders (the database's trigger says the same, less readably).
 */
function checkMemberships(
  memberships: Array<{ line: number; record: MembershipRecord }>,
  personKeys: ReadonlySet<string>,
  postsByKey: ReadonlyMap<string, PostRecord>,
  issues: string[],
): void {
  const file = DATASET_FILES.memberships;
  const byPost = new Map<string, Array<{ line: number; record: MembershipRecord }>>();
  for (const m of memberships) {
    const { person_key, organization_key, post_key } = m.record;
    if (!personKeys.has(person_key)) issues.push(`${file} line ${m.line}: person_key "${person_key}" is not a person in ${DATASET_FILES.people}`);
    const postKey = `${organization_key}/${post_key}`;
    if (!postsByKey.has(postKey)) {
      issues.push(`${file} line ${m.line}: post "${postKey}" is not a post in ${DATASET_FILES.posts}`);
      continue;
    }
    byPost.set(postKey, [...(byPost.get(postKey) ?? []), m]);
  }
  for (const [postKey, terms] of byPost) {
    const capacity = postsByKey.get(postKey)!.max_holders;
    // The most holders at once is reached on the start day of some term (as in the database trigger).
    for (const day of [...new Set(terms.map((t) => t.record.start_date))].sort()) {
      const holding = terms.filter((t) => t.record.start_date <= day && (t.record.end_date === null || day < t.record.end_date));
      if (holding.length > capacity) {
        issues.push(`${file} lines ${holding.map((t) => t.line).join(', ')}: post "${postKey}" would have ${holding.length} holders on ${day}; its max_holders is ${capacity}`);
        break;
      }
    }
    for (let i = 0; i < terms.length; i++) {
      for (let j = i + 1; j < terms.length; j++) {
        const a = terms[i]!;
        const b = terms[j]!;
        if (a.record.person_key === b.record.person_key && overlapping({ start: a.record.start_date, end: a.record.end_date }, { start: b.record.start_date, end: b.record.end_date })) {
          issues.push(`${file} lines ${a.line} and ${b.line}: "${a.record.person_key}" would hold "${postKey}" twice over overlapping dates`);
        }
      }
    }
  }
}

/**
 * kinds.csv codes are unique per scope; every division and organization names a kind of its scope
 * (the row is named, with the codes the city defines); kind_names.csv names a kind and a locale of the city.
 */
function checkKinds(
  kinds: Array<{ line: number; record: KindRecord }>,
  kindNames: Array<{ line: number; record: KindNameRecord }>,
  jurisdiction: JurisdictionRecord | null,
  divisions: DatasetDivision[],
  organizations: Array<{ line: number; record: OrganizationRecord }>,
  issues: string[],
): void {
  const F = DATASET_FILES;
  checkUnique(F.kinds, kinds, (k) => `${k.scope} ${k.code}`, 'kind', issues);
  // A file that failed to parse reported itself; reference checks would only repeat it.
  if (kinds.length === 0) return;
  const codes = (scope: KindRecord['scope']) => new Set(kinds.filter((k) => k.record.scope === scope).map((k) => k.record.code));
  const divisionCodes = codes('DIVISION');
  const organizationCodes = codes('ORGANIZATION');
  const list = (set: Set<string>) => (set.size ? [...set].join(', ') : 'none');
  for (const d of divisions) {
    if (!divisionCodes.has(d.properties.kind)) {
      issues.push(`${F.divisions} (key "${d.properties.key}"): kind "${d.properties.kind}" is not a DIVISION kind in ${F.kinds} (DIVISION kinds: ${list(divisionCodes)})`);
    }
  }
  // Registration dates belong to kinds whose recognition model is REGISTRATION (Philadelphia's RCOs).
  const registering = new Set(kinds.filter((k) => k.record.scope === 'ORGANIZATION' && k.record.recognition_model === 'REGISTRATION').map((k) => k.record.code));
  for (const { line, record } of organizations) {
    if (!organizationCodes.has(record.kind)) {
      issues.push(`${F.organizations} line ${line} (key "${record.key}"): kind "${record.kind}" is not an ORGANIZATION kind in ${F.kinds} (ORGANIZATION kinds: ${list(organizationCodes)})`);
    } else if (record.registered_on != null && !registering.has(record.kind)) {
      issues.push(
        `${F.organizations} line ${line} (key "${record.key}"): registered_on and registration_expires_on are only for kinds whose recognition_model is REGISTRATION in ${F.kinds}; "${record.kind}" is not (REGISTRATION kinds: ${list(registering)})`,
      );
    }
  }
  checkUnique(F.kindNames, kindNames, (k) => `${k.scope} ${k.code} ${k.locale}`, 'kind name', issues);
  for (const { line, record } of kindNames) {
    const known = record.scope === 'DIVISION' ? divisionCodes : organizationCodes;
    if (!known.has(record.code)) issues.push(`${F.kindNames} line ${line}: ${record.scope} kind "${record.code}" is not in ${F.kinds}`);
    if (jurisdiction) {
      const locales = jurisdiction.locales ?? [jurisdiction.defaultLocale ?? 'en'];
      if (record.locale === (jurisdiction.defaultLocale ?? 'en')) {
        issues.push(`${F.kindNames} line ${line}: locale "${record.locale}" is the default locale, whose names are in ${F.kinds}`);
      } else if (!locales.includes(record.locale)) {
        issues.push(`${F.kindNames} line ${line}: locale "${record.locale}" is not one of the city's locales in ${F.jurisdiction}`);
      }
    }
  }
}

/**
 * notice_procedures.csv, notice_rules.csv and notice_deadlines.csv: read together, since rules and
 * deadlines name a procedure of the first file and rules an organization kind of kinds.csv. Each
 * procedure's steps are numbered 1, 2, … without a gap, so the deadlines add up in order.
 */
async function readNotices(
  folder: string,
  kinds: readonly KindRecord[],
  issues: string[],
): Promise<Pick<Dataset, 'noticeProcedures' | 'noticeRules' | 'noticeDeadlines'>> {
  const F = DATASET_FILES;
  const procedures = readTable(F.noticeProcedures, await readOptionalText(folder, F.noticeProcedures, issues), NOTICE_PROCEDURE_COLUMNS, noticeProcedureSchema, (v) => `${v.code}`, issues);
  const rules = readTable(F.noticeRules, await readOptionalText(folder, F.noticeRules, issues), NOTICE_RULE_COLUMNS, noticeRuleSchema, (v) => `${v.procedure} ${v.organization_kind}`, issues);
  const deadlines = readTable(F.noticeDeadlines, await readOptionalText(folder, F.noticeDeadlines, issues), NOTICE_DEADLINE_COLUMNS, noticeDeadlineSchema, (v) => `${v.procedure} step ${v.step}`, issues);
  checkUnique(F.noticeProcedures, procedures, (p) => p.code, 'procedure', issues);
  checkUnique(F.noticeRules, rules, (r) => `${r.procedure} ${r.organization_kind}`, 'rule', issues);
  checkUnique(F.noticeDeadlines, deadlines, (d) => `${d.procedure} step ${d.step}`, 'step', issues);
  const codes = new Set(procedures.map((p) => p.record.code));
  const organizationKinds = new Set(kinds.filter((k) => k.scope === 'ORGANIZATION').map((k) => k.code));
  for (const { line, record } of [...rules, ...deadlines]) {
    const file = 'organization_kind' in record ? F.noticeRules : F.noticeDeadlines;
    if (!codes.has(record.procedure)) issues.push(`${file} line ${line}: procedure "${record.procedure}" is not a procedure in ${F.noticeProcedures}`);
  }
  for (const { line, record } of rules) {
    if (!organizationKinds.has(record.organization_kind)) {
      issues.push(`${F.noticeRules} line ${line}: organization_kind "${record.organization_kind}" is not an ORGANIZATION kind in ${F.kinds}`);
    }
  }
  for (const code of codes) {
    const steps = deadlines.filter((d) => d.record.procedure === code).map((d) => d.record.step).sort((a, b) => a - b);
    if (steps.some((step, i) => step !== i + 1)) issues.push(`${F.noticeDeadlines}: the steps of procedure "${code}" must be numbered 1, 2, … without a gap (found ${steps.join(', ')})`);
  }
  return { noticeProcedures: procedures.map((p) => p.record), noticeRules: rules.map((r) => r.record), noticeDeadlines: deadlines.map((d) => d.record) };
}

/**
 * compliance_requirements.csv: each requirement names an ORGANIZATION kind of kinds.csv, once per
 * (kind, code); one met by REGISTRATION needs a kind whose recognition_model is REGISTRATION.
 */
async function readComplianceRequirements(folder: string, kinds: readonly KindRecord[], issues: string[]): Promise<ComplianceRequirementRecord[]> {
  const F = DATASET_FILES;
  const rows = readTable(
    F.complianceRequirements,
    await readOptionalText(folder, F.complianceRequirements, issues),
    COMPLIANCE_REQUIREMENT_COLUMNS,
    complianceRequirementSchema,
    (v) => `${v.organization_kind} ${v.code}`,
    issues,
  );
  checkUnique(F.complianceRequirements, rows, (r) => `${r.organization_kind} ${r.code}`, 'requirement', issues);
  const organizationKinds = new Map(kinds.filter((k) => k.scope === 'ORGANIZATION').map((k) => [k.code, k]));
  for (const { line, record } of rows) {
    const kind = organizationKinds.get(record.organization_kind);
    if (!kind) issues.push(`${F.complianceRequirements} line ${line}: organization_kind "${record.organization_kind}" is not an ORGANIZATION kind in ${F.kinds}`);
    else if (record.met_by === 'REGISTRATION' && kind.recognition_model !== 'REGISTRATION') {
      issues.push(`${F.complianceRequirements} line ${line}: met_by REGISTRATION needs a kind whose recognition_model is REGISTRATION; "${record.organization_kind}" is ${kind.recognition_model}`);
    }
  }
  return rows.map((r) => r.record);
}

export async function readDataset(folder: string): Promise<Dataset> {
  const issues: string[] = [];
  // Keys of records already reported as invalid: references to them are not reported again.
  const rejectedDivisions = new Set<string>();
  const rejectedOrganizations = new Set<string>();
  const F = DATASET_FILES;
  const jurisdiction = readJurisdiction(parseJson(F.jurisdiction, await readText(folder, F.jurisdiction, issues), issues), issues);
  const divisions = readDivisions(parseJson(F.divisions, await readText(folder, F.divisions, issues), issues), await loadBoundaryReader(), issues, rejectedDivisions);
  const organizations = readTable(F.organizations, await readText(folder, F.organizations, issues), ORGANIZATION_COLUMNS, organizationSchema, (v) => `key "${v.key}"`, issues, rejectedOrganizations);
  const links = readTable(F.organizationLinks, await readText(folder, F.organizationLinks, issues), LINK_COLUMNS, linkSchema, (v) => `${v.member_key} -> ${v.parent_key}`, issues);
  const issuesBeforePosts = issues.length;
  const posts = readTable(F.posts, await readText(folder, F.posts, issues), POST_COLUMNS, postSchema, (v) => `${v.organization_key}/${v.key}`, issues);
  const people = readTable(F.people, await readText(folder, F.people, issues, true), PERSON_COLUMNS, personSchema, (v) => `key "${v.key}"`, issues);
  const membershipsText = await readText(folder, F.memberships, issues, true);
  const contacts = readTable(F.organizationContacts, await readText(folder, F.organizationContacts, issues, true), ORGANIZATION_CONTACT_COLUMNS, organizationContactSchema, (v) => `${v.organization_key} ${v.kind}`, issues);
  const memberships = readTable(F.memberships, membershipsText, MEMBERSHIP_COLUMNS, membershipSchema, (v) => `${v.person_key} in ${v.organization_key}/${v.post_key}`, issues);

  const kinds = readTable(F.kinds, await readText(folder, F.kinds, issues), KIND_COLUMNS, kindSchema, (v) => `${v.scope} ${v.code}`, issues);
  const kindNames = readTable(F.kindNames, await readOptionalText(folder, F.kindNames, issues), KIND_NAME_COLUMNS, kindNameSchema, (v) => `${v.scope} ${v.code} ${v.locale}`, issues);
  checkKinds(kinds, kindNames, jurisdiction, divisions, organizations, issues);
  const postsComplete = issues.length === issuesBeforePosts;
  const compositionRules = readTable(
    F.compositionRules,
    await readOptionalText(folder, F.compositionRules, issues),
    COMPOSITION_RULE_COLUMNS,
    compositionRuleSchema,
    (v) => `${v.organization_key}/${v.code}`,
    issues,
  );

  checkDivisionTree(divisions, rejectedDivisions, issues);
  const divisionKeys = new Set([...divisions.map((d) => d.properties.key), ...rejectedDivisions]);
  checkUnique(F.organizations, organizations, (o) => o.key, 'key', issues);
  const orgKeys = new Set([...organizations.map((o) => o.record.key), ...rejectedOrganizations]);
  for (const { line, record } of organizations) {
    if (record.division_key !== null && !divisionKeys.has(record.division_key)) {
      issues.push(`${F.organizations} line ${line} (key "${record.key}"): division_key "${record.division_key}" is not a division in ${F.divisions}`);
    }
  }
  for (const { line, record } of links) {
    for (const field of ['member_key', 'parent_key'] as const) {
      if (!orgKeys.has(record[field])) {
        issues.push(`${F.organizationLinks} line ${line}: ${field} "${record[field]}" is not an organization in ${F.organizations}`);
      }
    }
  }
  checkUnique(F.organizationLinks, links, linkKey, 'link', issues);
  checkLinkPeriods(links, issues);
  checkUnique(F.posts, posts, (p) => `${p.organization_key}/${p.key}`, 'post', issues);
  for (const { line, record } of posts) {
    if (!orgKeys.has(record.organization_key)) {
      issues.push(`${F.posts} line ${line}: organization_key "${record.organization_key}" is not an organization in ${F.organizations}`);
    }
    if (record.division_key !== null && !divisionKeys.has(record.division_key)) {
      issues.push(`${F.posts} line ${line}: division_key "${record.division_key}" is not a division in ${F.divisions}`);
    }
  }

  checkUnique(F.organizationContacts, contacts, (c) => `${c.organization_key} ${c.kind} ${c.value}`, 'channel', issues);
  for (const { line, record } of contacts) {
    if (!orgKeys.has(record.organization_key)) {
      issues.push(`${F.organizationContacts} line ${line}: organization_key "${record.organization_key}" is not an organization in ${F.organizations}`);
    }
  }
  checkUnique(F.people, people, (p) => p.key, 'key', issues);
  checkUnique(F.memberships, memberships, (m) => `${m.person_key} in ${m.organization_key}/${m.post_key} from ${m.start_date}`, 'membership', issues);
  checkMemberships(memberships, new Set(people.map((p) => p.record.key)), new Map(posts.map((p) => [`${p.record.organization_key}/${p.record.key}`, p.record])), issues);
  if (jurisdiction?.extent) {
    const kind = jurisdiction.extent.kind;
    if (!divisions.some((d) => d.properties.kind === kind && d.boundary !== null)) {
      issues.push(`${F.jurisdiction}: extent.kind "${kind}" has no division with a boundary in ${F.divisions}; the city's extent is the union of those divisions`);
    }
  }
  checkSeatFilling(posts, compositionRules, orgKeys, postsComplete, issues);
  const notices = await readNotices(folder, kinds.map((k) => k.record), issues);
  const complianceRequirements = await readComplianceRequirements(folder, kinds.map((k) => k.record), issues);

  if (issues.length > 0 || jurisdiction === null) throw new DatasetValidationError(folder, issues);
  return {
    jurisdiction,
    kinds: kinds.map((k) => k.record),
    kindNames: kindNames.map((k) => k.record),
    divisions,
    organizations: organizations.map((o) => o.record),
    links: links.map((l) => l.record),
    posts: posts.map((p) => p.record),
    people: people.map((p) => p.record),
    memberships: memberships.map((m) => m.record),
    organizationContacts: contacts.map((c) => c.record),
    compositionRules: compositionRules.map((r) => r.record),
    ...notices,
    complianceRequirements,
  };
}
