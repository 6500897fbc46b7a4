// Bearer-token authentication. A factory, checked once at construction; the returned middleware
// puts the caller on the context or refuses with 401/403.
import { createMiddleware } from 'hono/factory';
import { findSession } from '../db/sessions.ts';
import type { AppEnv } from '../env.ts';
import { forbidden, memberRevoked, unauthenticated } from '../errors.ts';
import { roles as allRoles, type Role } from '../schemas.ts';
import { nowIso } from '../util.ts';

export interface RequireCallerOptions {
  /**
   * Roles allowed: every route names the roles it serves (least privilege, issue 15). A field
   * device gets what capture and sync need; tests/api/route-roles.test.ts holds the whole matrix.
   */
  roles: readonly Role[];
  /** Refuse when the path's :orgId is not the caller's own org (default true). */
  ownOrg?: boolean;
}

export function requireCaller(options: RequireCallerOptions) {
  const allowed = options.roles;
  if (allowed.length === 0 || allowed.some((role) => !allRoles.includes(role))) {
    throw new Error(`requireCaller: roles must be a non-empty subset of ${allRoles.join(', ')}`);
  }
  const ownOrg = options.ownOrg ?? true;

  return createMiddleware<AppEnv>(async function requireCallerMiddleware(context, next) {
    const header = context.req.header('authorization') ?? '';
    const match = /^Bearer ([A-Za-z0-9_-]{43})$/.exec(header);
    if (!match) throw unauthenticated('sign in first: send "Authorization: Bearer <token>" from POST /api/auth/token');
    const session = await findSession(context.env.DB, match[1]!);
    if (!session) throw unauthenticated('this token is not known; sign in again');
    if (session.expires_at <= nowIso()) throw unauthenticated('this token has expired; sign in again');
    if (session.status !== 'active') throw memberRevoked();
    if (ownOrg) {
      const orgId = context.req.param('orgId');
      if (orgId !== undefined && orgId !== session.org_id) throw forbidden("you can only reach your own organisation's data");
    }
    if (!allowed.includes(session.role)) {
      throw forbidden(`this needs the ${allowed.join(' or ')} role; you are signed in as ${session.role}`);
    }
    context.set('caller', { memberId: session.member_id, orgId: session.org_id, role: session.role });
    await next();
  });
}
