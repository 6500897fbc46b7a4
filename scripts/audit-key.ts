// Makes the server's audit signing key (Ed25519, PKCS#8 DER, base64url). For a deployment:
//   npx tsx scripts/audit-key.ts | npx wrangler secret put AUDIT_SIGNING_KEY
import { generateKeyPairSync } from 'node:crypto';
import { fileURLToPath } from 'node:url';

export function newAuditSigningKey(): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  return privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64url');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.stdout.write(newAuditSigningKey());
