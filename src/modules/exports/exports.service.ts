import { createHash } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import { readerOf } from '../../db/replicas.ts';
import { readDataVersion } from '../../graphql/caching/data-version.ts';
import type { Database } from '../../db/client.ts';
import { divisionKinds, jurisdictions, type JurisdictionRow } from '../../db/schema/index.ts';
import { toGlobalId } from '../../graphql/global-id.ts';
import { todayIn } from '../../graphql/dates.ts';
import { csvChunks, type CsvColumn } from './csv.ts';
import {
  divisionBatches,
  organizationBatches,
  postBatches,
  rosterBatches,
  type DivisionKind,
} from './exports.repository.ts';

/**
 * Bulk exports: the public data as files, for people who want a spreadsheet or a map layer rather
 * than queries. Served at GET /exports/<name>.<extension> (src/http/exports-route.ts) and written
 * by `npm run export` (src/cli/export.ts). Public fields only, exactly as the GraphQL API shows them
 * to an anonymous client; ids are the API's global ids, so rows join back to it.
 */

/** A parameter the caller got wrong; the HTTP route answers 400 with the message. */
export class ExportParameterError extends Error {}

export interface ExportParameters {
  jurisdiction: JurisdictionRow;
  /** The date the export describes (divisions in effect, current holders): `at`, or today in the city. */
  at: string;
  /** Divisions export only: the kinds asked for, or all. */
  kinds: DivisionKind[] | null;
}

export interface ExportDefinition {
  /** File name without extension, e.g. `organizations`. */
  name: string;
  extension: 'csv' | 'geojson';
  contentType: string;
  description: string;
  /** Query parameters this export accepts; any other is refused. */
  parameters: readonly string[];
  chunks(db: Database, parameters: ExportParameters): AsyncIterable<string>;
}

const CSV_TYPE = 'text/csv; charset=utf-8; header=present';

const organizationColumns: CsvColumn<OrganizationExportRow>[] = [
  { header: 'id', value: (r) => toGlobalId('Organization', r.id) },
  { header: 'slug', value: (r) => r.slug },
  { header: 'kind', value: (r) => r.kind },
  { header: 'name', value: (r) => r.name },
  { header: 'short_name', value: (r) => r.shortName },
  { header: 'status', value: (r) => r.status },
  { header: 'division_ocd_id', value: (r) => r.divisionOcdId },
  { header: 'website', value: (r) => r.website },
  { header: 'overseen_by', value: (r) => r.overseenBy },
  { header: 'body_kind', value: (r) => r.bodyKind },
  { header: 'founded_on', value: (r) => r.foundedOn },
  { header: 'dissolved_on', value: (r) => r.dissolvedOn },
  { header: 'min_members', value: (r) => r.minMembers },
  { header: 'max_members', value: (r) => r.maxMembers },
  { header: 'source_url', value: (r) => r.sourceUrl },
  { header: 'description', value: (r) => r.description },
  // Issue 13, appended so existing readers' columns keep their places.
  { header: 'roster_status', value: (r) => r.rosterStatus },
  { header: 'roster_as_of', value: (r) => r.rosterAsOf },
  { header: 'registered_on', value: (r) => r.registeredOn },
  { header: 'registration_expires_on', value: (r) => r.registrationExpiresOn },
];
type OrganizationExportRow = BatchRow<typeof organizationBatches>;

/** Said in the posts export beside `vacancies`, in words a spreadsheet reader sees. */
const VACANCY_NOTES: Record<PostExportRow['rosterStatus'], string | null> = {
  RECORDED: null,
  PARTLY_RECORDED: 'roster partly recorded: vacancies may be filled',
  NOT_RECORDED: 'roster not recorded',
};

const postColumns: CsvColumn<PostExportRow>[] = [
  { header: 'id', value: (r) => toGlobalId('Post', r.id) },
  { header: 'organization_id', value: (r) => toGlobalId('Organization', r.organizationId) },
  { header: 'organization_slug', value: (r) => r.organizationSlug },
  { header: 'organization_name', value: (r) => r.organizationName },
  { header: 'label', value: (r) => r.label },
  { header: 'role', value: (r) => r.role },
  { header: 'division_ocd_id', value: (r) => r.divisionOcdId },
  { header: 'appointing_authority', value: (r) => r.appointingAuthority },
  { header: 'selection_method', value: (r) => r.selectionMethod },
  { header: 'max_holders', value: (r) => r.maxHolders },
  { header: 'holders', value: (r) => r.holders },
  // As Post.knownVacancies: none once abolished; empty when the body's roster is not recorded (unknown is not vacant).
  { header: 'vacancies', value: (r) => (r.rosterStatus === 'NOT_RECORDED' ? null : r.abolishedOn ? 0 : Math.max(0, r.maxHolders - r.holders)) },
  { header: 'term_length_months', value: (r) => r.termLengthMonths },
  { header: 'term_limit', value: (r) => r.termLimit },
  { header: 'takes_applications', value: (r) => r.takesApplications },
  { header: 'eligibility', value: (r) => r.eligibility },
  { header: 'created_on', value: (r) => r.createdOn },
  { header: 'abolished_on', value: (r) => r.abolishedOn },
  // Issue 13, appended: what `vacancies` is worth.
  { header: 'roster_status', value: (r) => r.rosterStatus },
  { header: 'vacancy_note', value: (r) => VACANCY_NOTES[r.rosterStatus] },
];
type PostExportRow = BatchRow<typeof postBatches>;

const rosterColumns: CsvColumn<RosterExportRow>[] = [
  { header: 'membership_id', value: (r) => toGlobalId('Membership', r.id) },
  { header: 'organization_id', value: (r) => toGlobalId('Organization', r.organizationId) },
  { header: 'organization_slug', value: (r) => r.organizationSlug },
  { header: 'organization_name', value: (r) => r.organizationName },
  { header: 'post_id', value: (r) => (r.postId != null ? toGlobalId('Post', r.postId) : null) },
  { header: 'post_label', value: (r) => r.postLabel },
  { header: 'role', value: (r) => r.role },
  { header: 'person_id', value: (r) => toGlobalId('Person', r.personId) },
  { header: 'person_name', value: (r) => r.personName },
  { header: 'person_sort_name', value: (r) => r.personSortName },
  { header: 'is_sample', value: (r) => r.isSample },
  { header: 'start_date', value: (r) => r.startDate },
  { header: 'scheduled_end_date', value: (r) => r.scheduledEndDate },
];
type RosterExportRow = BatchRow<typeof rosterBatches>;

type BatchRow<F extends (...args: never[]) => AsyncIterable<unknown[]>> = ReturnType<F> extends AsyncIterable<(infer R)[]> ? R : never;

/** A GeoJSON FeatureCollection written feature by feature (RFC 7946; WGS84 longitude/latitude). */
async function* divisionsGeoJson(db: Database, { jurisdiction, at, kinds }: ExportParameters): AsyncGenerator<string> {
  yield '{"type":"FeatureCollection","features":[';
  let first = true;
  for await (const batch of divisionBatches(db, jurisdiction.id, kinds, at)) {
    const features = batch.map((d) =>
      JSON.stringify({
        type: 'Feature',
        id: toGlobalId('Division', d.id),
        ...(d.minLongitude != null ? { bbox: [d.minLongitude, d.minLatitude, d.maxLongitude, d.maxLatitude] } : {}),
        geometry: d.boundary ?? null,
        properties: {
          id: toGlobalId('Division', d.id),
          ocdId: d.ocdId,
          kind: d.kind,
          name: d.name,
          parentOcdId: d.parentOcdId,
          validFrom: d.validFrom,
          validUntil: d.validUntil,
        },
      }),
    );
    yield (first ? '' : ',') + features.join(',');
    first = false;
  }
  yield ']}\n';
}

export const EXPORTS: readonly ExportDefinition[] = [
  {
    name: 'divisions',
    extension: 'geojson',
    contentType: 'application/geo+json; charset=utf-8',
    description: 'Divisions in effect on `at` (council districts, neighborhoods, …) with their boundaries; `kind` filters by kind.',
    parameters: ['jurisdiction', 'at', 'kind'],
    chunks: divisionsGeoJson,
  },
  {
    name: 'organizations',
    extension: 'csv',
    contentType: CSV_TYPE,
    description: 'Every organization: associations, coalitions, advisory bodies, the council.',
    parameters: ['jurisdiction'],
    chunks: (db, p) => csvChunks(organizationColumns, organizationBatches(db, p.jurisdiction.id)),
  },
  {
    name: 'posts',
    extension: 'csv',
    contentType: CSV_TYPE,
    description: 'Every seat, with its holders and vacancies on `at` (empty, with `vacancy_note` "roster not recorded", where the body\'s roster is not recorded).',
    parameters: ['jurisdiction', 'at'],
    chunks: (db, p) => csvChunks(postColumns, postBatches(db, p.jurisdiction.id, p.at)),
  },
  {
    name: 'rosters',
    extension: 'csv',
    contentType: CSV_TYPE,
    description: 'Who holds which seat on `at`: the public roster, one row per term in effect.',
    parameters: ['jurisdiction', 'at'],
    chunks: (db, p) => csvChunks(rosterColumns, rosterBatches(db, p.jurisdiction.id, p.at)),
  },
];

export function findExport(fileName: string): ExportDefinition | undefined {
  return EXPORTS.find((e) => `${e.name}.${e.extension}` === fileName);
}

export function exportFileNames(): string[] {
  return EXPORTS.map((e) => `${e.name}.${e.extension}`);
}

function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

/** Checks the query parameters of an export; every refusal says what was wrong and what is allowed. */
export async function parseExportParameters(
  db: Database,
  definition: ExportDefinition,
  query: URLSearchParams,
  defaultJurisdiction: string,
): Promise<ExportParameters> {
  for (const key of new Set(query.keys())) {
    if (!definition.parameters.includes(key)) {
      throw new ExportParameterError(`Unknown parameter "${key.slice(0, 50)}" for ${definition.name}; accepted: ${definition.parameters.join(', ')}`);
    }
    if (query.getAll(key).length > 1) throw new ExportParameterError(`Parameter "${key}" is given more than once`);
  }
  const slug = query.get('jurisdiction') ?? defaultJurisdiction;
  const [jurisdiction] = slug.length <= 100 ? await db.select().from(jurisdictions).where(eq(jurisdictions.slug, slug)) : [];
  if (!jurisdiction) throw new ExportParameterError(`No jurisdiction has the slug "${slug.slice(0, 100)}"`);

  const at = query.get('at');
  if (at != null && !isCalendarDate(at)) throw new ExportParameterError(`"at" must be a date as YYYY-MM-DD; got "${at.slice(0, 30)}"`);

  let kinds: DivisionKind[] | null = null;
  const kind = query.get('kind');
  if (kind != null) {
    const asked = kind.split(',').map((k) => k.trim().toUpperCase());
    // The jurisdiction's own division kind codes (kinds.csv), not a fixed list.
    const known: string[] = (
      await db.select({ code: divisionKinds.code }).from(divisionKinds).where(eq(divisionKinds.jurisdictionId, jurisdiction.id)).orderBy(asc(divisionKinds.sortOrder), asc(divisionKinds.code))
    ).map((r) => r.code);
    const unknown = asked.filter((k) => !known.includes(k));
    if (unknown.length > 0 || asked.length === 0) {
      throw new ExportParameterError(`Unknown division kind "${unknown.join(',').slice(0, 60)}"; kinds: ${known.join(', ')}`);
    }
    kinds = asked as DivisionKind[];
  }
  return { jurisdiction, at: at ?? todayIn(jurisdiction.timezone), kinds };
}

/** An ETag for this export with these parameters over the data as it is now. */
export async function exportETag(db: Database, definition: ExportDefinition, parameters: ExportParameters): Promise<string> {
  // The jurisdiction's data version (the change log): it moves with every committed change to what
  // an export can contain, whatever the change's timestamps or ids (src/graphql/caching/data-version.ts).
  const fingerprint = await readDataVersion(readerOf(db), parameters.jurisdiction.id);
  const key = [definition.name, parameters.jurisdiction.slug, parameters.at, parameters.kinds?.join(',') ?? '', fingerprint].join('|');
  return `"${createHash('sha256').update(key).digest('base64url').slice(0, 27)}"`;
}
