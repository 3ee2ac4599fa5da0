import { badUserInput } from '../errors.ts';

/** Types that have global ids. The prefix `v1` lets the format change later, as GitHub's did. */
/** ApiKey ids are encoded the same way but are not fetchable through node(id:). */
/** Application ids are encoded the same way too, and are never fetchable through node(id:) (private). */
export type NodeType = 'Jurisdiction' | 'Division' | 'Organization' | 'Post' | 'Membership' | 'Person' | 'ApiKey' | 'VacancyPosting' | 'Application' | 'Meeting' | 'OrganizationContactChannel' | 'ComplianceEvidence';

const NODE_TYPES = new Set<string>(['Jurisdiction', 'Division', 'Organization', 'Post', 'Membership', 'Person', 'ApiKey', 'VacancyPosting', 'Application', 'Meeting', 'OrganizationContactChannel', 'ComplianceEvidence']);

export function toGlobalId(type: NodeType, id: number): string {
  return Buffer.from(`v1:${type}:${id}`).toString('base64url');
}

export interface DecodedGlobalId {
  type: NodeType;
  id: number;
}

/** Decodes an id; null when it is not one of ours (callers decide whether that is an error). */
export function parseGlobalId(globalId: string): DecodedGlobalId | null {
  if (globalId.length > 100 || !/^[A-Za-z0-9_-]+$/.test(globalId)) return null;
  const match = /^v1:([A-Za-z]+):([1-9][0-9]{0,9})$/.exec(Buffer.from(globalId, 'base64url').toString('utf8'));
  if (!match || !NODE_TYPES.has(match[1]!)) return null;
  const id = Number(match[2]);
  if (id > 2147483647) return null;
  return { type: match[1] as NodeType, id };
}

/** Decodes an id argument that must be of `type`, or throws BAD_USER_INPUT naming the argument. */
export function decodeGlobalId(globalId: string, type: NodeType, argument: string): number {
  const decoded = parseGlobalId(globalId);
  if (!decoded) throw badUserInput(`${argument} is not a valid id`, argument);
  if (decoded.type !== type) {
    throw badUserInput(`${argument} must be the id of a ${type}, not of a ${decoded.type}`, argument);
  }
  return decoded.id;
}
