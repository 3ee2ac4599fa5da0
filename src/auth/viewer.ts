/** Who is asking. Decided once per request from the bearer token; services authorize against it. */
export type Role = 'PUBLIC' | 'PARTNER' | 'STAFF' | 'ADMIN';

export interface Viewer {
  role: Role;
  /** Stable identifier of the caller for audit: the token's `sub`, or `api-key:<id>`. */
  subject: string | null;
  name: string | null;
  /** The jurisdiction a staff member or partner key belongs to; null for the public and global admins. */
  jurisdictionId: number | null;
  apiKeyId: number | null;
}

export const PUBLIC_VIEWER: Viewer = { role: 'PUBLIC', subject: null, name: null, jurisdictionId: null, apiKeyId: null };

/** Staff of that jurisdiction, an admin of it, or a global admin. */
export function canManage(viewer: Viewer, jurisdictionId: number): boolean {
  if (viewer.role === 'ADMIN') return viewer.jurisdictionId == null || viewer.jurisdictionId === jurisdictionId;
  return viewer.role === 'STAFF' && viewer.jurisdictionId === jurisdictionId;
}

export function isAdminOf(viewer: Viewer, jurisdictionId: number): boolean {
  return viewer.role === 'ADMIN' && (viewer.jurisdictionId == null || viewer.jurisdictionId === jurisdictionId);
}
