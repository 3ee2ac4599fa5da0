/** The section put on top of the original SOURCES.md: how the normalized files were derived. */
import type { NycDataset } from './checks.ts';
import { BOARD, COUNCIL, DATASET_AS_OF, MIN_NOMINATOR_SHARE, PLACE_OCD_ID } from './constants.ts';
import type { CouncilShare } from './nominators.ts';

interface Shares {
  kept: ReadonlyMap<string, readonly CouncilShare[]>;
  dropped: ReadonlyArray<{ communityDistrict: string } & CouncilShare>;
}

const pct = (share: number, digits = 2) => `${(share * 100).toFixed(digits)} %`;

export function derivationSection(dataset: NycDataset, shares: Shares): string {
  const perBoard = [...shares.kept.values()].map((s) => s.length);
  const histogram = [...new Set(perBoard)]
    .sort((a, b) => a - b)
    .map((n) => `${perBoard.filter((x) => x === n).length} with ${n}`)
    .join(', ');
  const largestDropped = Math.max(0, ...shares.dropped.map((d) => d.share));
  const smallestKept = Math.min(...[...shares.kept.values()].flat().map((s) => s.share));
  const dropped = shares.dropped.map((d) => `\`${d.communityDistrict}\` × district ${d.district} (${pct(d.share, 3)})`).join('; ');
  const count = (kind: string) => dataset.divisions.filter((d) => d.properties.kind === kind).length;

  return `# New York City dataset (civic-graph format): how the normalized files were made

The files \`jurisdiction.json\`, \`kinds.csv\`, \`divisions.geojson\`, \`organizations.csv\`,
\`organization_links.csv\`, \`posts.csv\` and \`composition_rules.csv\` in this folder are generated
by \`src/datasets/nyc/convert.ts\` (\`npm run dataset:nyc\`) from the vendored originals in \`raw/\`,
which are described further down (the original SOURCES.md, unchanged; \`raw/FACTS.md\` holds the
rules with their sources). Do not edit them by hand: change the converter or the raw files and run
it again. A test checks that the committed files equal a fresh conversion. \`KNOWN_POINTS.md\` lists
points with their expected \`locate\` answers and how each was computed.

Publisher of every boundary: NYC Department of City Planning (DCP), BYTES of the BIG APPLE,
community districts release 25D, council districts release 25B, boroughs release 24C (details in
sections 1-3 below). The directory columns of the boards are NYC Open Data's "NYC Community Boards"
(section 4). Facts compiled ${DATASET_AS_OF}.

Only these raw files are vendored (all used): the three GeoJSON layers, \`community_boards.csv\`,
\`joint_interest_areas.csv\`, \`advisory_bodies.csv\`, \`ocd_divisions.csv\`, \`SOURCES.md\` and
\`FACTS.md\`. Not vendored: the census population files (sections 7-8); the platform imports
baselines separately (\`npm run baseline:import\`), and \`baselines.census2020.csv\` can be taken
from the shared data folder when needed.

## Checks the converter runs (it writes nothing when one fails)

- Counts: ${count('BOROUGH')} boroughs, ${count('COMMUNITY_DISTRICT')} community districts, ${count('JOINT_INTEREST_AREA')} joint interest areas,
  ${count('COUNCIL_DISTRICT')} council districts; 59 community boards (one per community district, each
  serving one), the council with 51 seats, 3 boards and commissions.
- Unique keys (divisions, organizations, posts per organization, composition rules per
  organization), unique OCD ids matching the OCD pattern, slugs, every parent, division and
  \`nominated_by\` reference resolving, every kind code in \`kinds.csv\`.
- Every boundary as the importer checks it: closed rings of at least 4 positions in range
  (\`src/import/geometry.ts\`), at most 50,000 positions and 1,000 rings, and valid by the OGC rules
  as GEOS checks them (\`src/import/geos.ts\`, the importer's own check). All ${dataset.divisions.length} pass.
- **No geometry is repaired or simplified by the converter.** Coordinates are copied as
  vendored: already rounded to 5 decimals by the data's compiler, who repaired 24 features with
  \`buffer(0)\` after rounding (section "General processing" below). Nothing more was needed.
- The community boards' council districts (below) must agree with the source's own overlay in
  \`community_boards.csv\` (\`council_district_area_shares\`, computed in EPSG:2263): the same
  districts, each share within 0.2 percentage points, and the same primary district. They do.

## Jurisdiction

- \`slug\` \`nyc\`, name "City of New York", \`ocdId\` \`${PLACE_OCD_ID}\`: the prefix every council
  district id of \`ocd_divisions.csv\` shares (checked). Time zone America/New_York.
- Locales: \`en\` only. No list of site languages is in the raw data (the City's Local Law 30
  languages are not sourced there), so none is claimed.
- \`extent: { "kind": "BOROUGH" }\`: the city is the union of its five boroughs. The layers are
  clipped to the shoreline (section "General processing"), so a point on the water (a pier's end,
  the harbour) is outside the city as this dataset draws it.

## Kinds (\`kinds.csv\`)

- Divisions: \`BOROUGH\` (category BOROUGH), \`COMMUNITY_DISTRICT\` (COMMUNITY_DISTRICT),
  \`JOINT_INTEREST_AREA\` (SPECIAL_AREA), \`COUNCIL_DISTRICT\` (COUNCIL_DISTRICT); all \`NEVER\`
  overlap (the source checked that community districts and joint interest areas, one layer, do not
  overlap, nor council districts), all \`locate ONE\`.
- Organizations: \`COMMUNITY_BOARD\` (category COMMUNITY_BOARD, recognition NONE: chartered, not
  recognized or registered; \`locate ONE\`: the board of the point's community district),
  \`COUNCIL\` and \`ADVISORY_BODY\` (recognition NONE, \`locate NONE\`).

## Divisions and their ids

OCD has ids only for the council districts (\`ocd_divisions.csv\`); they are used as published. The
others are **minted by this dataset**, in OCD's type:id form under the city's id:

| kind | key | OCD id (minted unless noted) |
| --- | --- | --- |
| BOROUGH | \`borough-<borough>\` (\`borough-staten-island\`) | \`${PLACE_OCD_ID}/borough:<borough>\` (\`borough:staten_island\`) |
| COMMUNITY_DISTRICT | \`community-district-<borough>-<n>\` | \`${PLACE_OCD_ID}/community_district:<borough>_<n>\` (\`community_district:brooklyn_2\`) |
| JOINT_INTEREST_AREA | \`joint-interest-area-<borough>-<n>\` | \`${PLACE_OCD_ID}/joint_interest_area:<borough>_<n>\` (\`joint_interest_area:manhattan_64\`, Central Park) |
| COUNCIL_DISTRICT | \`council-district-<n>\` | from \`ocd_divisions.csv\`: \`${PLACE_OCD_ID}/council_district:<n>\` |

\`<borough>\` is manhattan, bronx, brooklyn, queens or staten_island (staten-island in keys); \`<n>\` is
DCP's district number (BoroCD modulo 100: 1-18 for community districts, 26-95 for joint interest
areas, which keep DCP's numbers, e.g. JIA 64).

- Names: boroughs as in \`BoroName\`; "Manhattan Community District 5"; joint interest areas by
  DCP's CDTA 2020 name without its code and qualifier ("MN64 Central Park (JIA 64 Equivalent)" →
  "Central Park"); "Council District 7".
- Parents: community districts and joint interest areas have their borough as parent; boroughs
  and council districts have none (a council district may cross a borough line).
- \`validFrom\`/\`validUntil\` are empty: the releases do not say when a boundary took effect (the
  council lines were first used in the 2023 elections).
- \`source\` names the layer, its release and the feature's DCP code.

## Organizations

- **59 community boards** (\`kind\` COMMUNITY_BOARD), one per community district, from
  \`community_boards.csv\`: key = the board's name as a slug (\`manhattan-community-board-5\`), name as
  given, short name "Manhattan CB 5", \`website\` as given (Bronx CB 2 has none; several use the old
  \`www1.nyc.gov\` host and may redirect), \`division_key\` its community district. **The format has no
  meeting-time field**, so the regular full-board meeting ("Fourth Tuesday, 6:00pm", as the export
  words it) is in the \`description\`, with the neighbourhoods, the appointment rule and the council
  districts. \`max_members\` = ${BOARD.maxMembers} appointed members + the non-voting council members
  (Portland's convention: a body's members include its ex officio seats).
- **The City Council** (\`${COUNCIL.key}\`, COUNCIL): 51 members; source \`raw/FACTS.md\`, "City
  Council".
- **Boards and commissions** (ADVISORY_BODY) from \`advisory_bodies.csv\`. Its four rows are read as
  follows: the first row, "Community boards (59; one per community district)", is not one body but
  the 59 boards above (its quote and note are the source of their seats and rules); the other three
  are the City Planning Commission (CPC), the Civilian Complaint Review Board (CCRB) and the
  Landmarks Preservation Commission (LPC). **So there are 3 advisory-body organizations, not 4**:
  a 60th "Community boards" organization with 50 seats would be offered to residents as a body that
  does not exist. Their seats are split by appointing authority as the rows state them (CPC: chair
  and 6 by the Mayor, 1 by each borough president, 1 by the Public Advocate, 5-year terms, the
  chair at the Mayor's pleasure; CCRB: Mayor 5, Council 5, Police Commissioner 3, Public Advocate
  1, chair jointly, 3-year terms; LPC: 11 by the Mayor, 3-year terms, the professional mix as
  eligibility). The converter checks each row's name and seat count verbatim and stops on any
  other wording. \`body_kind\` and \`topics\` are **derived, not sourced** (CPC: COMMISSION,
  LAND_USE_PLANNING; CCRB: BOARD, PUBLIC_SAFETY; LPC: COMMISSION, HISTORIC_PRESERVATION). The LPC
  row rests on a secondary source and two Charter section numbers are unverified (see section 6).
- **Rosters: \`roster_status\` NOT_RECORDED, \`roster_as_of\` ${DATASET_AS_OF}, for every
  organization** (boards, council, commissions). The data has no rosters (section "Not found or
  not used": they are not needed, and they are personal data), so no seat may be counted or offered
  as vacant. \`organization_links.csv\` is empty: no NYC body is a member of another.

## Posts (seats)

Each community board has:
- \`member\`: up to ${BOARD.maxMembers} holders, APPOINTED by "<Borough> Borough President"
  (\`appointing_authority\`), voting; \`nominated_by\` = the \`${COUNCIL.key}\` posts of the council
  districts overlapping the community district (below); ${BOARD.termLengthMonths}-month terms, \`term_anchor\`
  ${BOARD.termAnchor}, \`stagger_classes\` ${BOARD.staggerClasses} (half the seats start April 1 of odd years, half of even
  years), \`term_limit\` ${BOARD.termLimit} counted as \`${BOARD.termLimitCounting}\` ("four consecutive full two-year
  terms" for members appointed on or after 2019-04-01; a member may return after a one-term
  break), \`holdover_limit_months\` ${BOARD.holdoverLimitMonths} ("up to 60 days after the term ends": the column is in
  months, so 60 days is written as 2), eligibility "a residence, business, professional or other
  significant interest in" the district, \`takes_applications\` true (borough presidents take
  applications every year; general knowledge, not in \`raw/FACTS.md\`).
  - \`min_age\` ${BOARD.minAge}: **not in \`raw/FACTS.md\`**. It is issue 13's statement ("members from age 16"),
    which matches Charter §2800(a) as amended by State law in 2014 (16- and 17-year-olds may be
    appointed); re-check against ${BOARD.charterUrl} before relying on it.
- \`council-member-district-<n>\`: one EX_OFFICIO seat per overlapping council district, 1 holder,
  \`voting\` false, its division the council district; its eligibility names the council post whose
  holder sits in it (the format has no "held by the holder of post X" column).
- \`district-manager\`: the board's **paid staff**, not a member (\`raw/FACTS.md\`, "District manager and
  staff"). It is modelled as a post so the board's directory shows it: APPOINTED by the board (it
  hires), 1 holder, \`voting\` false, \`takes_applications\` false, the eligibility saying it is
  salaried staff and not a member.

The council has \`district-1\` … \`district-51\`: 1 holder each, ELECTED by the voters of the district,
48-month terms (normally; two-year terms after every second census), \`term_limit\` 2
\`CONSECUTIVE_TERMS\` (members first elected in or after 2010).

### Which council districts nominate to each board

The Charter gives nominations to the council members "whose districts include part of the community
district", in proportion to the population they represent there. The population of each
intersection is not in the data, so **the overlaps are computed from the boundaries by area**:
\`area(community district ∩ council district) / area(community district)\` on the vendored geometry,
with the importer's own code (\`intersectionArea\` of \`src/import/overlaps.ts\`, geodesic areas by
@turf/area). A council district covering **less than ${pct(MIN_NOMINATOR_SHARE, 1)} of the community district's area is
ignored**. Some threshold is needed: where the two layers' lines do not quite meet they leave
slivers of a few square metres. ${pct(MIN_NOMINATOR_SHARE, 1)} is the threshold of the source's own overlay ("listing
shares of at least 0.5 %") and of the importer's \`division_overlaps\` (\`MIN_SHARE\`), so the
nominators are exactly the council districts \`Division.overlaps\` reports; and it falls in a gap
of the shares (the largest dropped is ${pct(largestDropped, 3)}, the smallest kept ${pct(smallestKept, 3)}).
Boards have ${histogram} nominating districts. The ${shares.dropped.length} dropped pairs, largest first:
${dropped}.
Most are slivers (under 0.1 %), but the few between 0.1 % and 0.5 % may be a real corner of a few
blocks, whose council member the Charter would count if people live there: the data holds no
population per intersection, so they are listed here for a person to review. Shares below 1 % are
kept. Each board's description gives its districts' area shares, labelled as area.

## Composition rules (\`composition_rules.csv\`)

Two per board, from City Charter §2800 (${BOARD.charterUrl}) as \`raw/FACTS.md\` and
\`advisory_bodies.csv\` state it:
- \`council-nominees\`: \`MIN_SHARE_NOMINATED\` 1/2 — at least half of the appointed members from
  nominees of the council members whose districts include part of the community district.
- \`city-employees\`: \`MAX_SHARE_CITY_EMPLOYEES\` 1/4 — at most 25 % of the appointed members City
  employees.

Rows are sorted by key; the output is byte-for-byte deterministic.

---

`;
}
