import type { Role } from './schemas.ts';

export interface Env {
  DB: D1Database;
  ASSETS?: Fetcher;
  /** "1" in local demo runs only: serves the demo accounts' locked key files. */
  DEMO_MODE?: string;
  /** Ed25519 PKCS#8 (base64url): the server's audit identity, for entries no person makes (expiries). A Worker secret. */
  AUDIT_SIGNING_KEY?: string;
  /** "1" in local runs and tests only: alert feeds may use plain http (a local test server). */
  ALLOW_HTTP_FEEDS?: string;
}

/** Who is calling, once the bearer token has been checked. */
export interface Caller {
  memberId: string;
  orgId: string;
  role: Role;
}

export type AppEnv = { Bindings: Env; Variables: { caller: Caller } };
