// The routes under /api/orgs that are about organisations themselves, one router per
// responsibility (issue 17): registration and directory, partners, members, invitations, the org
// key, the statement and its waiting changes. SQL is in ../db/, what a statement change must say in
// ../roster/policy.ts. Joining with an invitation code is under /api/invitations.
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../env.ts';
import { validationHook } from '../validation.ts';
import { invitingRoutes } from './invitations.ts';
import { keyRoutes } from './keys.ts';
import { memberRoutes } from './members.ts';
import { organisationRoutes } from './organisations.ts';
import { partnerRoutes } from './partners.ts';
import { rosterRoutes } from './roster.ts';

export { invitationRoutes } from './invitations.ts';

export const orgRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .route('/', organisationRoutes)
  .route('/', partnerRoutes)
  .route('/', memberRoutes)
  .route('/', invitingRoutes)
  .route('/', keyRoutes)
  .route('/', rosterRoutes);
