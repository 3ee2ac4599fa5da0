/**
 * Association websites (neighborhood_association_websites.csv, 19 of 94) and the district coalition
 * offices' websites (coalition_offices.csv) into organizations' `website`, each with its evidence.
 */
import type { OrganizationContactRecord, OrganizationRecord } from '../format.ts';
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

/** "https://a ; https://b" or "https://a (note)" → the first URL, and what followed it as a note. */
function firstUrl(source: string): { url: string; rest: string | null } {
  const m = /^(https?:\/\/\S+?)(?:\s*;\s*|\s+|$)(.*)$/.exec(source.trim());
  if (!m) throw new Error(`coalition_offices.csv: no URL in source ${JSON.stringify(source)}`);
  return { url: m[1]!, rest: m[2] ? m[2].trim() : null };
}

/**
 * The district coalition offices' published address, phone and email (coalition_offices.csv):
 * organizational channels only (the raw file already left out named staff's addresses).
 */
export function buildOfficeChannels(offices: readonly CoalitionOfficeRow[]): OrganizationContactRecord[] {
  const out: OrganizationContactRecord[] = [];
  for (const o of offices) {
    const key = `district-${o.dco_district}-coalition`;
    const channel = (kind: OrganizationContactRecord['kind'], value: string, source: string, asOf: string | null) => {
      if (!value) return;
      const { url, rest } = firstUrl(source);
      const note = [asOf ? `As of: ${asOf}.` : '', rest ? `Source note: ${rest.replace(/^\((.*)\)$/, '$1')}.` : ''].filter(Boolean).join(' ') || null;
      out.push({ organization_key: key, kind, value, source_url: url, note });
    };
    channel('ADDRESS', o.office_address, o.office_address_source, o.office_address_as_of || null);
    // A phone or email from the same listing as the address is as old as it.
    const sameListing = (source: string) => (source && firstUrl(source).url === firstUrl(o.office_address_source || source).url ? o.office_address_as_of || null : null);
    channel('PHONE', o.phone, o.phone_source, sameListing(o.phone_source));
    channel('EMAIL', o.email, o.email_source, sameListing(o.email_source));
  }
  return out;
}
