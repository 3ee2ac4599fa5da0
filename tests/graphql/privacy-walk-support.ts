import { expect } from 'vitest';
import type { Viewer } from '../../src/auth/viewer.ts';
import type { TestApi } from '../helpers/test-api.ts';
import type { WalkRun } from '../helpers/schema-walk.ts';

/**
 * What the privacy walks (privacy-walk.test.ts, tests/cities/privacy-walk.test.ts) seed on a public
 * roster and then look for in every answer and log line.
 */
export const SECRETS = {
  // Distinctive coordinates, unlike any the walk passes as arguments, so a leak of them shows.
  homeLatitude: '45.5123457',
  homeLongitude: '-122.6543211',
  email: 'walk.secret@example.org',
  phone: '+1 503 555 0142',
  homeAddress: '4242 SE Hidden Ave, Portland',
  preferredLanguage: 'tlh-Xwalk42',
  accessibilityNeeds: 'secret-needs-marker',
};

/** Creates the person holding SECRETS through the API, as staff of `viewer`'s jurisdiction; returns its global id. */
export async function createSecretPerson(api: TestApi, viewer: Viewer, name = 'Walk Roster Person'): Promise<string> {
  const created = await api.execute(
    `mutation($input: PersonCreateInput!) { personCreate(input: $input) { person { id } userErrors { message } } }`,
    { input: { name, privateDetails: { ...SECRETS, homeLatitude: Number(SECRETS.homeLatitude), homeLongitude: Number(SECRETS.homeLongitude), interpreterNeeded: true } } },
    { viewer },
  );
  expect(created.data!.personCreate.userErrors).toEqual([]);
  return created.data!.personCreate.person.id;
}

/**
 * Asserts that no run of a walk returned a secret or failed for another reason than a refusal to
 * this viewer, and that the server's log holds no secret. Returns whether the walk reached the
 * person's privateDetails field (answering null), which proves it walked past the roster.
 */
export function expectNothingLeaked(runs: WalkRun[], logs: unknown): { sawPrivateDetailsField: boolean } {
  let sawPrivateDetailsField = false;
  for (const { query, result } of runs) {
    const text = JSON.stringify(result);
    for (const secret of Object.values(SECRETS)) expect(text, `leak through: ${query.slice(0, 80)}…`).not.toContain(secret);
    // Staff-only roots refuse; nothing else may fail, or the walk would prove nothing.
    const unexpected = (result.errors ?? []).filter((e) => !['UNAUTHENTICATED', 'FORBIDDEN'].includes(String(e.extensions?.code)));
    expect(unexpected, query.slice(0, 120)).toEqual([]);
    // Every object the walk selects names its type (schema-walk.ts), so a private one would show.
    expect(text).not.toContain('"__typename":"PersonPrivateDetails"');
    // Only Person has privateDetails (privacy.test.ts), so this is the person's field, answering null.
    if (text.includes('"privateDetails":null')) sawPrivateDetailsField = true;
  }
  // Nor from the server's log, which captured every line the walk made it write (src/logger.ts).
  const logged = JSON.stringify(logs);
  for (const secret of Object.values(SECRETS)) expect(logged).not.toContain(secret);
  return { sawPrivateDetailsField };
}
