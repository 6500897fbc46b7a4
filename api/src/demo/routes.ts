// Demo accounts for a local run (DEMO_MODE=1 only): each is a passphrase-locked key file, opened in
// the browser with the passphrase the README gives. Off in every deployment by default.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { listDemoAccounts } from '../db/demo.ts';
import type { AppEnv } from '../env.ts';
import { orgKinds, roles } from '../schemas.ts';
import { validationHook } from '../validation.ts';

const accountsRoute = createRoute({
  method: 'get',
  path: '/accounts',
  tags: ['demo'],
  summary: 'Demo accounts: an empty list unless this is a local demo run (DEMO_MODE=1)',
  responses: {
    200: {
      description: 'Locked key files of the demo accounts',
      content: {
        'application/json': {
          schema: z.object({
            accounts: z.array(
              z.object({
                memberId: z.string(),
                orgId: z.string(),
                orgName: z.string(),
                orgKind: z.enum(orgKinds),
                role: z.enum(roles),
                title: z.string(),
                passphraseHint: z.string(),
                lockedKeys: z.string(),
              }),
            ),
          }),
        },
      },
    },
  },
});

export const demoRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(accountsRoute, async (context) => {
  // Outside a local demo there are none; an empty list (not a 404) keeps the sign-in page quiet.
  if (context.env.DEMO_MODE !== '1') return context.json({ accounts: [] }, 200);
  const results = await listDemoAccounts(context.env.DB);
  return context.json(
    {
      accounts: results.map((row) => ({
        memberId: row.member_id,
        orgId: row.org_id,
        orgName: row.org_name,
        orgKind: row.org_kind,
        role: row.role,
        title: row.title,
        passphraseHint: row.passphrase_hint,
        lockedKeys: row.locked_keys,
      })),
    },
    200,
  );
});
