/** The three notice files of a city's dataset, written by its converter from the city's notices.ts. */
import {
  DATASET_FILES,
  NOTICE_DEADLINE_COLUMNS,
  NOTICE_PROCEDURE_COLUMNS,
  NOTICE_RULE_COLUMNS,
  type NoticeDeadlineRecord,
  type NoticeProcedureRecord,
  type NoticeRuleRecord,
} from './format.ts';
import { toCsv } from './write.ts';

export interface CityNotices {
  procedures: NoticeProcedureRecord[];
  rules: NoticeRuleRecord[];
  deadlines: NoticeDeadlineRecord[];
}

/** 1 foot in meters (international foot): rules written in feet are stored in meters. */
export const FOOT_IN_METERS = 0.3048;

export function noticeFiles(notices: CityNotices): Record<string, string> {
  return {
    [DATASET_FILES.noticeProcedures]: toCsv(NOTICE_PROCEDURE_COLUMNS, notices.procedures),
    [DATASET_FILES.noticeRules]: toCsv(NOTICE_RULE_COLUMNS, notices.rules),
    [DATASET_FILES.noticeDeadlines]: toCsv(NOTICE_DEADLINE_COLUMNS, notices.deadlines),
  };
}
