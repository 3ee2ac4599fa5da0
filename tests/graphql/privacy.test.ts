import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { councilPost, createMembership, createPerson, createPrivateDetails, fillPost } from '../helpers/factories.ts';
import { createTestApi, type TestApi } from '../helpers/test-api.ts';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.dispose());

const SECRET = {
  email: 'private.person@example.org',
  homeAddress: '1234 SE Secret St, Portland, OR 97214',
  phone: '+1-503-555-0199',
};

describe('private person data', () => {
  it('keeps private data on one staff-only type, reachable only through Person.privateDetails', async () => {
    const { data } = await api.execute(`{ __schema { types { name fields { name type { name ofType { name } } } } } }`);
    const fieldNames = data!.__schema.types.flatMap((t: any) => (t.fields ?? []).map((f: any) => `${t.name}.${f.name}`));
    const privateWords = /email|phone|address|contact|language|accessib|interpret|demograph|birth|private|home/i;
    // An application's contact and needs are private too: an Application is readable only by its
    // token holder and staff of its jurisdiction (tests/recruitment/privacy-and-cost.test.ts).
    // The languages a posting or a meeting offers interpretation in, and a meeting's accessibility
    // notes, describe the body, not a person. The demographic form's description, the survey
    // mutations (which return tokens and whether an answer was recorded, never an answer) and the
    // suppressed aggregates of the representation report name no one
    // (tests/demographics/no-individual-response.test.ts walks them with answers stored).
    // An organization's contact channels are its office's published address, phone and email
    // (organization_contacts.csv holds office channels only, never a person's; FORMAT.md says so;
    // staff-written channels refuse a person's private email or phone: PERSONAL_CONTACT).
    expect(fieldNames.filter((f: string) => privateWords.test(f) && !f.startsWith('PersonPrivateDetails.')).sort()).toEqual([
      'Application.accessibilityNeeds',
      'Application.email',
      'Application.interpretationNeeded',
      'Application.phone',
      'Application.preferredLanguage',
      'DemographicQuestionInfo.categories',
      'DemographicQuestionInfo.key',
      'DemographicQuestionInfo.maxValues',
      'DemographicQuestionInfo.offersSelfDescription',
      'DemographicQuestionInfo.selection',
      'DemographicQuestionInfo.valueFormat',
      'DemographicSurveyInvitePayload.expiresAt',
      'DemographicSurveyInvitePayload.tokens',
      'DemographicSurveyInvitePayload.userErrors',
      'DemographicSurveySubmitPayload.isRecorded',
      'DemographicSurveySubmitPayload.retryAfterSeconds',
      'DemographicSurveySubmitPayload.userErrors',
      'InterpretationRequests.languages',
      'InterpretationRequests.requests',
      'Meeting.accessibilityNotes',
      'Meeting.interpretationLanguages',
      'Mutation.demographicSurveyInvite',
      'Mutation.demographicSurveySubmit',
      'Mutation.organizationContactChannelAdd',
      'Mutation.organizationContactChannelRemove',
      'Mutation.organizationContactChannelUpdate',
      'Organization.contactChannels',
      'OrganizationContactChannel.id',
      'OrganizationContactChannel.kind',
      'OrganizationContactChannel.note',
      'OrganizationContactChannel.preferredForNotices',
      'OrganizationContactChannel.sourceUrl',
      // The days the channel was the organization's: dates, public like the channel.
      'OrganizationContactChannel.validFrom',
      'OrganizationContactChannel.validUntil',
      'OrganizationContactChannel.value',
      'OrganizationContactChannel.verifiedOn',
      'OrganizationContactChannelPayload.channel',
      'OrganizationContactChannelPayload.organization',
      'OrganizationContactChannelPayload.userErrors',
      'Person.privateDetails',
      'Query.demographicQuestions',
      'RepresentationReport.interpretationRequests',
      'VacancyPosting.interpretationLanguages',
      'Viewer.viewerCanReadPrivateData',
    ]);
    const pointingAtPrivate = data!.__schema.types.flatMap((t: any) =>
      (t.fields ?? []).filter((f: any) => (f.type.name ?? f.type.ofType?.name) === 'PersonPrivateDetails').map((f: any) => `${t.name}.${f.name}`),
    );
    expect(pointingAtPrivate).toEqual(['Person.privateDetails']);
    const person = data!.__schema.types.find((t: any) => t.name === 'Person');
    // sourceUrl is the public page an official's facts come from (people.csv), null for anyone staff record
    expect(person.fields.map((f: any) => f.name).sort()).toEqual(['id', 'isSample', 'memberships', 'name', 'privateDetails', 'publicBio', 'sortName', 'sourceUrl']);
  });

  it('never returns a private value through rosters, node or memberships', async () => {
    const post = await councilPost(api.db, 4);
    const person = await createPerson(api.db, api.jurisdictionId, 'Roster Person');
    await createPrivateDetails(api.db, person.id, SECRET);
    await createMembership(api.db, { jurisdictionId: api.jurisdictionId, personId: person.id, organizationId: post.organizationId, postId: post.id, startDate: '2025-01-01' });
    await fillPost(api.db, await councilPost(api.db, 1), 1);
    const roster = await api.execute(`{
      councilDistricts { councilPost { holders { id person { id name sortName publicBio isSample memberships { nodes { role organization { name } } } } } } }
    }`);
    const text = JSON.stringify(roster);
    expect(text).toContain('Roster Person');
    for (const value of Object.values(SECRET)) expect(text).not.toContain(value);
    const personId = roster.data!.councilDistricts[3].councilPost.holders.find((h: any) => h.person.name === 'Roster Person').person.id;
    const viaNode = await api.execute(`query($id: ID!) { node(id: $id) { ... on Person { name } } }`, { id: personId });
    expect(viaNode.data!.node).toEqual({ name: 'Roster Person' });
    for (const value of Object.values(SECRET)) expect(JSON.stringify(viaNode)).not.toContain(value);
  });

  it('has no private field directly on Person to select', async () => {
    const { data, errors } = await api.execute(`{ councilDistricts { councilPost { holders { person { email homeAddress } } } } }`);
    expect(data).toBeUndefined();
    expect(errors?.map((e) => e.message)).toEqual([
      'Cannot query field "email" on type "Person".',
      'Cannot query field "homeAddress" on type "Person".',
    ]);
  });

  it('hides people who are on no roster from everyone but staff', async () => {
    const loner = await createPerson(api.db, api.jurisdictionId, 'Resident With No Seat');
    const id = Buffer.from(`v1:Person:${loner.id}`).toString('base64url');
    const query = `query($id: ID!) { node(id: $id) { ... on Person { name } } }`;
    expect((await api.execute(query, { id })).data!.node).toBeNull();
    expect((await api.execute(query, { id }, { viewer: { ...api.staff(), role: 'PARTNER' } })).data!.node).toBeNull();
    expect((await api.execute(query, { id }, { viewer: api.staff({ jurisdictionId: 999 }) })).data!.node).toBeNull();
    expect((await api.execute(query, { id }, { viewer: api.staff() })).data!.node).toEqual({ name: 'Resident With No Seat' });
  });
});
