/**
 * Association websites (neighborhood_association_websites.csv, 19 of 94) and the district coalition
 * offices' websites (coalition_offices.csv) into organizations' `website`, each with its evidence.
 */
import type { OrganizationRecord } from '../format.ts';
import { slugify } from '../slug.ts';
import type { AssociationRow, AssociationWebsiteRow, CoalitionOfficeRow } from './raw.ts';

/** "buckmanpdx.org" (published without a scheme) → "https://buckmanpdx.org"; others as published. */
export function withScheme(url: string): string {
  return /^https?:\/\//.test(url) ? url : `https://${url}`;
}

export function applyWebsites(
  organizations: OrganizationRecord[],
  associations: readonly AssociationRow[],
  websites: readonly AssociationWebsiteRow[],
  offices: readonly CoalitionOfficeRow[],
): OrganizationRecord[] {
  const byKey = new Map(organizations.map((o) => [o.key, o]));
  const associationById = new Map(associations.map((a) => [a.neighborhood_id, a]));
  const set = (key: string, website: string, evidence: string) => {
    const org = byKey.get(key);
    if (!org) throw new Error(`website for unknown organization ${key}`);
    byKey.set(key, { ...org, website: withScheme(website), source_note: [org.source_note, evidence].filter(Boolean).join(' ') });
  };
  for (const row of websites) {
    const association = associationById.get(row.neighborhood_id);
    if (!association || association.name !== row.name) {
      throw new Error(`neighborhood_association_websites.csv: neighborhood ${row.neighborhood_id} "${row.name}" is not in neighborhood_associations.csv`);
    }
    const other = row.other_web_addresses ? ` Other address: ${row.other_web_addresses}.` : '';
    set(slugify(association.name), row.website, `Website: ${row.evidence_type}, ${row.evidence_url} (${row.evidence_date}).${other}`);
  }
  for (const office of offices) {
    if (!office.website) continue;
    set(`district-${office.dco_district}-coalition`, office.website, `Website: as published by the office (coalition_offices.csv).`);
  }
  return organizations.map((o) => byKey.get(o.key)!);
}
