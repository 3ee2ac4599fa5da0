/**
 * associationBoundarySet: a neighborhood association's boundary, read as an imported one is
 * (src/import/boundary-reader.ts), kept apart from other associations' areas unless they agreed in
 * writing, and with its overlaps with other kinds of division recomputed by the import's own rule
 * (src/import/overlaps.ts), all in one transaction.
 */
import { area } from '@turf/area';
import type { MultiPolygon } from 'geojson';
import { z } from 'zod';
import { requireStaffRole } from '../../auth/authorize.ts';
import type { GraphQLContext } from '../../context.ts';
import type { BoundaryAgreementRow, DivisionOverlapRow, DivisionRow, OrganizationRow } from '../../db/schema/index.ts';
import {
  inputId,
  refusalsAsOutcome,
  refuse,
  runMutation,
  UserErrorsException,
  validateInput,
  type MutationOutcome,
  type UserErrorShape,
} from '../../graphql/mutation.ts';
import { loadBoundaryReader } from '../../import/boundary-reader.ts';
import { bboxOf, type BBox } from '../../import/geometry.ts';
import { computeOverlaps, intersectionArea, type Shape } from '../../import/overlaps.ts';
import {
  agreementsOf,
  areaKindOf,
  associationsOfDivisions,
  copyOverlapRows,
  divisionKindCategoryOf,
  divisionKindPolicy,
  ownAreaCategory,
  divisionByOcdIdIn,
  divisionForUpdate,
  insertAgreement,
  insertDivision,
  lockBoundaries,
  neighborhoodsMeeting,
  otherKindsMeeting,
  overlapRowsOf,
  updateAgreement,
  updateDivision,
  writeOverlapRows,
} from './boundary.repository.ts';
import { dateFrom, httpUrl, jurisdictionToday, organizationNamed, rowAudit } from './organizations.mutations.ts';
import { organizationForUpdate, organizationRow, updateOrganization } from './organizations.repository.ts';

/**
 * Two neighborhoods overlap when their common area is at least this share of the smaller one.
 * Below it is a digitizing sliver: Portland's own layer has shared edges off by up to 0.01%.
 */
export const SLIVER_TOLERANCE = 0.001;
const MAX_AGREEMENTS = 50;

const boundaryInvalid = (message: string): never => refuse('BOUNDARY_INVALID', message, ['input', 'boundary']);
/** A valid WGS84 MultiPolygon from the input (boundary-reader.ts), or a BOUNDARY_INVALID / BOUNDARY_TOO_LARGE refusal. */
async function checkBoundary(value: unknown): Promise<MultiPolygon> {
  const readBoundary = await loadBoundaryReader(); // GEOS loads on the first call
  const { boundary, problems } = readBoundary(value);
  if (boundary) return boundary;
  const [first] = problems;
  if (first!.code === 'BOUNDARY_TOO_LARGE') return refuse('BOUNDARY_TOO_LARGE', `The boundary ${first!.message}`, ['input', 'boundary']);
  if (problems.length === 1 && !first!.message.startsWith('coordinates')) return boundaryInvalid(`The boundary ${first!.message}`);
  const more = problems.length > 5 ? ` (and ${problems.length - 5} more problems)` : '';
  return boundaryInvalid(`The boundary is not valid: ${problems.slice(0, 5).map((p) => p.message).join('; ')}${more}`);
}

const boundarySetSchema = z.object({
  organizationId: z.string(),
  boundary: z.unknown(),
  overlapAgreements: z
    .array(z.object({ organizationId: z.string(), signedOn: dateFrom('1900-01-01'), documentUrl: httpUrl.nullable().optional() }))
    .max(MAX_AGREEMENTS, `must list at most ${MAX_AGREEMENTS} agreements`)
    .nullable()
    .optional(),
  effectiveOn: dateFrom('1900-01-01').nullable().optional(),
});

function shapeOf(division: Pick<DivisionRow, 'id' | 'kind'> & { boundary: MultiPolygon }, bbox?: BBox): Shape {
  const box = bbox ?? bboxOf(division.boundary);
  return { id: division.id, kind: division.kind, boundary: division.boundary, bbox: box, area: area(division.boundary) };
}

function storedShape(division: DivisionRow): Shape {
  const bbox = { minLongitude: division.minLongitude!, minLatitude: division.minLatitude!, maxLongitude: division.maxLongitude!, maxLatitude: division.maxLatitude! };
  return shapeOf({ ...division, boundary: division.boundary! }, bbox);
}

/** The new shape is valid by GEOS; a neighbor stored before that check may not be, and @turf/intersect can throw on it. */
function commonArea(a: Shape, b: Shape, otherName: string): number {
  try {
    return intersectionArea(a, b);
  } catch {
    return boundaryInvalid(`The boundary cannot be intersected with ${otherName}'s; check that no ring crosses itself`);
  }
}

const pairKey = (a: number, b: number) => (a < b ? `${a}:${b}` : `${b}:${a}`);
const DIVISION_AUDIT_FIELDS = ['ocdId', 'kind', 'name', 'parentId', 'versionOf', 'validFrom', 'validUntil', 'boundary', 'minLongitude', 'minLatitude', 'maxLongitude', 'maxLatitude', 'source'] as const;
const AGREEMENT_FIELDS = ['divisionId', 'otherDivisionId', 'signedOn', 'documentUrl'] as const;

function divisionAudit(division: DivisionRow | null, overlaps: readonly Pick<DivisionOverlapRow, 'divisionId' | 'otherDivisionId' | 'share'>[]): Record<string, unknown> | null {
  if (!division) return null;
  const fields = Object.fromEntries(DIVISION_AUDIT_FIELDS.map((f) => [f, division[f]]));
  const sorted = [...overlaps].sort((x, y) => x.divisionId - y.divisionId || x.otherDivisionId - y.otherDivisionId);
  return { ...fields, overlaps: sorted.map(({ divisionId, otherDivisionId, share }) => ({ divisionId, otherDivisionId, share })) };
}

export interface BoundarySet {
  organization: OrganizationRow;
  division: DivisionRow;
}

interface GivenAgreement {
  index: number;
  organizationId: number;
  signedOn: string;
  documentUrl: string | null;
}

export async function associationBoundarySet(ctx: GraphQLContext, rawInput: unknown): Promise<MutationOutcome<BoundarySet>> {
  requireStaffRole(ctx.viewer);
  return refusalsAsOutcome(async () => {
    const input = validateInput(boundarySetSchema, rawInput);
    const existing = await organizationNamed(ctx, input.organizationId, ['input', 'organizationId']);
    const given: GivenAgreement[] = (input.overlapAgreements ?? []).map((a, index) => ({
      index,
      organizationId: inputId(a.organizationId, 'Organization', ['input', 'overlapAgreements', String(index), 'organizationId']),
      signedOn: a.signedOn,
      documentUrl: a.documentUrl ?? null,
    }));
    const seen = new Set<number>();
    for (const a of given) {
      const field = ['input', 'overlapAgreements', String(a.index), 'organizationId'];
      if (seen.has(a.organizationId)) refuse('INVALID_INPUT', `overlapAgreements.${a.index}.organizationId: names the same association twice`, field);
      if (a.organizationId === existing.id) refuse('INVALID_INPUT', `overlapAgreements.${a.index}.organizationId: an association needs no agreement with itself`, field);
      seen.add(a.organizationId);
    }
    const boundary = await checkBoundary(input.boundary);
    const bbox = bboxOf(boundary);
    const { jurisdiction, today } = await jurisdictionToday(ctx, existing.jurisdictionId);

    return runMutation(
      ctx,
      {
        action: 'associationBoundarySet',
        jurisdictionId: existing.jurisdictionId,
        constraints: {
          divisions_jurisdiction_id_ocd_id_unique: {
            code: 'SLUG_TAKEN',
            message: "Another division already has the OCD id made from this association's slug; change the association's slug first",
            field: ['input', 'organizationId'],
          },
        },
      },
      async (tx, audit) => {
        await lockBoundaries(tx, existing.jurisdictionId);
        const association = await organizationForUpdate(tx, existing.id);
        if (!association) refuse('NOT_FOUND', 'No organization has that id', ['input', 'organizationId']);
        // Organizations that draw their own area: neighborhood associations (a NEIGHBORHOOD division)
        // and registered community organizations (an ORGANIZATION_AREA one), by their kinds' categories.
        const areaCategory = await ownAreaCategory(tx, association);
        if (!areaCategory) {
          refuse('WRONG_ORGANIZATION_KIND', `Only neighborhood associations (and community organizations) have a boundary set here; ${association.name} is not one`, ['input', 'organizationId']);
        }
        const areaKind = await areaKindOf(tx, association.jurisdictionId, areaCategory);
        if (!areaKind) refuse('WRONG_ORGANIZATION_KIND', `The city has no division kind of category ${areaCategory} for ${association.name}'s area`, ['input', 'organizationId']);
        for (const a of given) {
          if (a.signedOn > today) refuse('INVALID_INPUT', `overlapAgreements.${a.index}.signedOn: must not be after today (${today})`, ['input', 'overlapAgreements', String(a.index), 'signedOn']);
        }

        const previous = association.divisionId != null ? await divisionForUpdate(tx, association.divisionId) : null;
        const current = previous && (previous.kind === areaKind.code || (await divisionKindCategoryOf(tx, previous)) === areaCategory) ? previous : null;
        const policy = current ? ((await divisionKindPolicy(tx, current)) ?? areaKind.overlapPolicy) : areaKind.overlapPolicy;
        const kindCode = current?.kind ?? areaKind.code;
        // A dated change (effectiveOn after the day the latest boundary took effect) splits the
        // area: the boundary in effect before that day is kept as an earlier version of it.
        const effectiveOn = input.effectiveOn ?? null;
        const areaEnds = current ? current.validUntil : association.dissolvedOn;
        if (effectiveOn != null && areaEnds != null && effectiveOn >= areaEnds) {
          refuse('INVALID_DATE_RANGE', `effectiveOn must be before ${association.name}'s area ends on ${areaEnds}`, ['input', 'effectiveOn']);
        }
        if (effectiveOn != null && current?.boundary != null && current.validFrom != null && effectiveOn < current.validFrom) {
          refuse(
            'OUT_OF_ORDER',
            `${association.name}'s latest boundary takes effect on ${current.validFrom}; a dated change must take effect after that day (or on it, to replace that boundary)`,
            ['input', 'effectiveOn'],
          );
        }
        const split = effectiveOn != null && current?.boundary != null && (current.validFrom == null || effectiveOn > current.validFrom);
        const validFrom = split ? effectiveOn : current ? current.validFrom : (effectiveOn ?? association.foundedOn);
        const validUntil = areaEnds;
        const shape = shapeOf({ id: current?.id ?? 0, kind: kindCode, boundary }, bbox);

        // Other associations' neighborhoods of the same period that the new boundary overlaps.
        // The kind's overlap policy (kinds.csv): FREELY checks nothing; NEVER refuses any overlap,
        // agreement or not; WITH_AGREEMENT needs one on record or given (src/import/kind-overlaps.ts).
        const neighbors =
          policy === 'FREELY' ? [] : await neighborhoodsMeeting(tx, association.jurisdictionId, bbox, { kind: kindCode, excludeId: current?.id ?? null, validFrom, validUntil });
        const overlapping = neighbors.filter((n) => {
          const other = storedShape(n);
          return commonArea(shape, other, n.name) >= SLIVER_TOLERANCE * Math.min(shape.area, other.area);
        });
        const overlappingAssociations = (await associationsOfDivisions(tx, overlapping)).filter((o) => o.id !== association.id);

        // Agreements given must each name one of those associations.
        const givenByDivision = new Map<number, GivenAgreement>();
        for (const a of given) {
          const field = ['input', 'overlapAgreements', String(a.index), 'organizationId'];
          const other = await organizationRow(tx, a.organizationId);
          if (!other || other.jurisdictionId !== association.jurisdictionId) refuse('NOT_FOUND', `overlapAgreements.${a.index}.organizationId: no organization has that id`, field);
          if (other.kind !== association.kind) refuse('WRONG_ORGANIZATION_KIND', `${other.name} is not a neighborhood association (not of ${association.name}'s kind)`, field);
          if (!overlappingAssociations.some((o) => o.id === other.id)) {
            refuse('INVALID_INPUT', `overlapAgreements.${a.index}.organizationId: the boundary does not overlap ${other.name}'s, so no agreement is needed`, field);
          }
          givenByDivision.set(other.divisionId!, a);
        }

        const onRecord = current ? await agreementsOf(tx, current.id) : [];
        const recordedPairs = new Map<string, BoundaryAgreementRow>(onRecord.map((r) => [pairKey(r.divisionId, r.otherDivisionId), r]));
        const refusals: UserErrorShape[] = overlappingAssociations
          .filter((o) => policy === 'NEVER' || (!givenByDivision.has(o.divisionId!) && !(current && recordedPairs.has(pairKey(current.id, o.divisionId!)))))
          .map((o) => policy === 'NEVER' ? {
            code: 'BOUNDARY_OVERLAP' as const,
            field: ['input', 'boundary'],
            message: `The boundary overlaps ${o.name}'s, and areas of this kind never overlap, even by agreement`,
          } : ({
            code: 'BOUNDARY_OVERLAP',
            field: ['input', 'boundary'],
            message: `The boundary overlaps ${o.name}'s and no written agreement between ${association.name} and ${o.name} is on record; add one to overlapAgreements if they agreed`,
          }));
        if (refusals.length) throw new UserErrorsException(refusals);

        // Writes: the division, the organization's link to it, agreements, overlaps.
        const overlapsBefore = current ? await overlapRowsOf(tx, current.id) : [];
        const boundaryFields = { boundary, ...bbox, source: `Set by civic-life staff with associationBoundarySet on ${today}` };
        if (split) {
          // The boundary in effect until effectiveOn, as an earlier version of the area, with the
          // overlaps it had; its own source key (the area's, with the day it took effect).
          const { id: _id, createdAt: _createdAt, updatedAt: _updatedAt, ...kept } = current!;
          const earlier = await insertDivision(tx, {
            ...kept,
            sourceKey: `${current!.sourceKey}@${current!.validFrom ?? 'start'}`,
            versionOf: current!.id,
            validUntil: effectiveOn,
            origin: 'STAFF',
          });
          const copied = await copyOverlapRows(tx, overlapsBefore, current!.id, earlier.id);
          await audit.record('Division', earlier.id, null, divisionAudit(earlier, copied));
        }
        const division = current
          ? await updateDivision(tx, current.id, split ? { ...boundaryFields, validFrom } : boundaryFields)
          : await insertDivision(tx, {
              jurisdictionId: association.jurisdictionId,
              sourceKey: `api:organization-${association.id}`,
              ocdId: `${jurisdiction.ocdId}/${areaCategory === 'NEIGHBORHOOD' ? 'neighborhood' : kindCode.toLowerCase()}:${association.slug}`,
              kind: kindCode,
              name: association.name,
              parentId: (await divisionByOcdIdIn(tx, association.jurisdictionId, jurisdiction.ocdId))?.id ?? null,
              validFrom,
              validUntil,
              ...boundaryFields,
            });
        // The import's rule, for this division only: shares ≥ MIN_SHARE with every other kind.
        const self = shapeOf({ ...division, boundary }, bbox);
        const wanted = new Map<string, number>();
        for (const other of await otherKindsMeeting(tx, association.jurisdictionId, division.kind, bbox)) {
          let shares: Map<string, number>;
          try {
            shares = computeOverlaps([self, storedShape(other)]);
          } catch {
            return boundaryInvalid(`The boundary cannot be intersected with ${other.name}'s; check that no ring crosses itself`);
          }
          for (const [key, share] of shares) wanted.set(key, share);
        }
        await writeOverlapRows(tx, overlapsBefore, wanted);
        const overlapsAfter = [...wanted].map(([key, share]) => {
          const [divisionId, otherDivisionId] = key.split(':').map(Number) as [number, number];
          return { divisionId, otherDivisionId, share };
        });
        await audit.record('Division', division.id, divisionAudit(current, overlapsBefore), divisionAudit(division, overlapsAfter));

        let organization = association;
        if (association.divisionId !== division.id) {
          organization = await updateOrganization(tx, association.id, { divisionId: division.id });
          await audit.record('Organization', association.id, { divisionId: association.divisionId }, { divisionId: division.id });
        }

        for (const [otherDivisionId, a] of givenByDivision) {
          const [low, high] = division.id < otherDivisionId ? [division.id, otherDivisionId] : [otherDivisionId, division.id];
          const before = recordedPairs.get(pairKey(low, high)) ?? null;
          if (before && before.signedOn === a.signedOn && before.documentUrl === a.documentUrl) continue;
          const after = before
            ? await updateAgreement(tx, before.id, { signedOn: a.signedOn, documentUrl: a.documentUrl })
            : await insertAgreement(tx, { jurisdictionId: association.jurisdictionId, divisionId: low, otherDivisionId: high, signedOn: a.signedOn, documentUrl: a.documentUrl });
          // Recorded under both neighborhoods, so the history of either shows the agreement.
          for (const subjectId of [division.id, otherDivisionId]) {
            await audit.record('Division', subjectId, rowAudit('boundaryAgreement', after.id, before, AGREEMENT_FIELDS), rowAudit('boundaryAgreement', after.id, after, AGREEMENT_FIELDS));
          }
        }
        return { organization, division };
      },
    );
  });
}
