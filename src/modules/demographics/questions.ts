/**
 * The voluntary demographic form: Oregon's REALD (OAR 943-070) and SOGI (OAR 950-030) questions in
 * the shape the city's forms ask them, with Portland's option lists. Every question can be
 * ANSWERED, DECLINED ("prefer not to answer") or DONT_KNOW, and a question left out was NOT_ASKED:
 * REALD keeps declined apart from unknown. Reports group by the codes below; self-described text is
 * stored for the city's own review of the categories and never reported.
 */

export type QuestionKey =
  | 'RACE_ETHNICITY'
  | 'LANGUAGES_AT_HOME'
  | 'PREFERRED_LANGUAGE'
  | 'INTERPRETER_NEEDED'
  | 'INTERPRETER_TYPE'
  | 'DISABILITY'
  | 'GENDER_IDENTITY'
  | 'LGBTQ2SIA'
  | 'AGE_BAND'
  | 'ZIP'
  | 'HOUSING_TENURE';

export interface Question {
  key: QuestionKey;
  /** MULTIPLE: choose any number (the shares of a report do not add up to 100%). */
  selection: 'SINGLE' | 'MULTIPLE';
  /**
   * The closed list of codes; null for open lists checked by `valueFormat` (languages as
   * BCP-47 tags, ZIP codes).
   */
  categories: readonly string[] | null;
  valueFormat?: 'BCP47' | 'ZIP';
  /** Whether SELF_DESCRIBED is a choice that carries the respondent's own words. */
  selfDescribe: boolean;
}

export const ANSWER_STATUSES = ['ANSWERED', 'DECLINED', 'DONT_KNOW', 'NOT_ASKED'] as const;
export type AnswerStatus = (typeof ANSWER_STATUSES)[number];

export const QUESTIONS: readonly Question[] = [
  {
    key: 'RACE_ETHNICITY',
    selection: 'MULTIPLE',
    categories: [
      'AMERICAN_INDIAN_ALASKA_NATIVE',
      'ASIAN',
      'BLACK_AFRICAN_AMERICAN',
      'HISPANIC_LATINO',
      'MIDDLE_EASTERN_NORTH_AFRICAN',
      'NATIVE_HAWAIIAN_PACIFIC_ISLANDER',
      'WHITE',
      'SELF_DESCRIBED',
    ],
    selfDescribe: true,
  },
  { key: 'LANGUAGES_AT_HOME', selection: 'MULTIPLE', categories: null, valueFormat: 'BCP47', selfDescribe: false },
  { key: 'PREFERRED_LANGUAGE', selection: 'SINGLE', categories: null, valueFormat: 'BCP47', selfDescribe: false },
  { key: 'INTERPRETER_NEEDED', selection: 'SINGLE', categories: ['YES', 'NO'], selfDescribe: false },
  // REALD's interpreter types.
  { key: 'INTERPRETER_TYPE', selection: 'MULTIPLE', categories: ['SPOKEN_LANGUAGE', 'ASL', 'CERTIFIED_DEAF_INTERPRETER', 'TACTILE', 'PSE', 'SELF_DESCRIBED'], selfDescribe: true },
  // REALD asks disability as functional limitations, not diagnoses.
  {
    key: 'DISABILITY',
    selection: 'MULTIPLE',
    categories: ['HEARING', 'VISION', 'COGNITION', 'MOBILITY', 'SELF_CARE', 'INDEPENDENT_LIVING', 'COMMUNICATION', 'MENTAL_EMOTIONAL', 'NONE'],
    selfDescribe: false,
  },
  // SOGI: more than one gender may apply.
  { key: 'GENDER_IDENTITY', selection: 'MULTIPLE', categories: ['WOMAN', 'MAN', 'NON_BINARY', 'AGENDER', 'QUESTIONING', 'SELF_DESCRIBED'], selfDescribe: true },
  { key: 'LGBTQ2SIA', selection: 'SINGLE', categories: ['YES', 'NO', 'QUESTIONING'], selfDescribe: false },
  {
    key: 'AGE_BAND',
    selection: 'SINGLE',
    categories: ['UNDER_18', 'FROM_18_TO_24', 'FROM_25_TO_34', 'FROM_35_TO_44', 'FROM_45_TO_54', 'FROM_55_TO_64', 'FROM_65_TO_74', 'FROM_75'],
    selfDescribe: false,
  },
  { key: 'ZIP', selection: 'SINGLE', categories: null, valueFormat: 'ZIP', selfDescribe: false },
  { key: 'HOUSING_TENURE', selection: 'SINGLE', categories: ['OWN', 'RENT', 'WITHOUT_PAYING_RENT', 'UNHOUSED', 'SELF_DESCRIBED'], selfDescribe: true },
];

export const QUESTION_BY_KEY: ReadonlyMap<QuestionKey, Question> = new Map(QUESTIONS.map((q) => [q.key, q]));
