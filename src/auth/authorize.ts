import { GraphQLError } from 'graphql';
import { canManage, type Viewer } from './viewer.ts';

export function unauthenticated(message = 'Sign in as staff to do this'): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
}

/** Staff-only operations: the public is asked to sign in, anyone else is refused. */
export function requireStaffRole(viewer: Viewer): void {
  if (viewer.role === 'PUBLIC') throw unauthenticated();
  if (viewer.role !== 'STAFF' && viewer.role !== 'ADMIN') throw forbidden('Only civic-life staff can do this');
}

/** Staff of this jurisdiction (or an admin over it). */
export function requireManager(viewer: Viewer, jurisdictionId: number): void {
  requireStaffRole(viewer);
  if (!canManage(viewer, jurisdictionId)) throw forbidden('Staff of another jurisdiction cannot change or read private data here');
}
