// The plaintext scan: looks for known secrets in every byte a server stored, as plain text,
// base64 (standard and url-safe, at every byte alignment) and hex.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export function needleEncodings(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const encodings = new Set<string>([secret, bytes.toString('hex'), bytes.toString('hex').toUpperCase()]);
  // A base64 text contains the needle's encoding only from a 3-byte boundary on: try all three.
  for (let offset = 0; offset < 3; offset++) {
    const aligned = bytes.subarray(offset, offset + Math.floor((bytes.length - offset) / 3) * 3);
    if (aligned.length < 6) continue;
    encodings.add(aligned.toString('base64'));
    encodings.add(aligned.toString('base64url'));
  }
  return [...encodings];
}

function filesUnder(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const full = path.join(directory, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

export interface LeakHit {
  file: string;
  secret: string;
  encoding: string;
}

export function scanForSecrets(directory: string, secrets: string[]): { files: number; bytes: number; hits: LeakHit[] } {
  const files = filesUnder(directory);
  const hits: LeakHit[] = [];
  let bytes = 0;
  for (const file of files) {
    const content = readFileSync(file);
    bytes += content.length;
    const asText = content.toString('latin1');
    for (const secret of secrets) {
      for (const encoding of needleEncodings(secret)) {
        if (asText.includes(Buffer.from(encoding, 'utf8').toString('latin1'))) hits.push({ file, secret, encoding });
      }
    }
  }
  return { files: files.length, bytes, hits };
}
