// An invitation travels as one string, "<orgId>~<code>", so a member pastes a single thing.
export function formatInvitation(orgId: string, code: string) {
  return `${orgId}~${code}`;
}

export function parseInvitation(text: string): { orgId: string; code: string } | null {
  const match = /^\s*([A-Za-z0-9_-]{8,64})~([A-Za-z0-9_-]{16,64})\s*$/.exec(text);
  return match ? { orgId: match[1]!, code: match[2]! } : null;
}
