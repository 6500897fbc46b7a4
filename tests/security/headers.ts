// Reading security headers: a Content-Security-Policy parsed into directives, and the sources a
// strict policy for this app may name (its own origin, no inline code, no third party).

export type Policy = Map<string, string[]>;

export function parsePolicy(header: string): Policy {
  const policy: Policy = new Map();
  for (const part of header.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/).filter(Boolean);
    if (!name) continue;
    if (policy.has(name.toLowerCase())) throw new Error(`directive ${name} appears twice; browsers ignore the second`);
    policy.set(name.toLowerCase(), sources);
  }
  return policy;
}

/**
 * Sources that keep a policy first-party and free of inline code: 'self', 'none', blob: and data:
 * (for images, map workers and fonts the app builds itself) and 'wasm-unsafe-eval' (libsodium is
 * WebAssembly; it allows compiling wasm, not eval of strings).
 */
const allowedSources = new Set(["'self'", "'none'", 'blob:', 'data:', "'wasm-unsafe-eval'"]);

/** Everything in the policy a strict first-party policy must not contain, as readable complaints. */
export function policyProblems(policy: Policy): string[] {
  const problems: string[] = [];
  for (const [directive, sources] of policy) {
    for (const source of sources) {
      if (!allowedSources.has(source)) problems.push(`${directive} allows ${source}`);
    }
  }
  for (const required of ['default-src', 'script-src', 'object-src', 'base-uri', 'frame-ancestors', 'connect-src']) {
    if (!policy.has(required)) problems.push(`${required} is missing`);
  }
  if (policy.get('object-src')?.join(' ') !== "'none'") problems.push("object-src is not 'none'");
  if (policy.get('frame-ancestors')?.join(' ') !== "'none'") problems.push("frame-ancestors is not 'none'");
  if (policy.get('base-uri')?.join(' ') !== "'none'") problems.push("base-uri is not 'none'");
  for (const directive of ['script-src', 'default-src', 'connect-src']) {
    for (const source of policy.get(directive) ?? [])
      if (source === 'data:' || source === 'blob:') problems.push(`${directive} allows ${source}`);
  }
  return problems;
}

/** Inline scripts, inline event handlers and third-party URLs in an HTML page. */
export function htmlProblems(html: string): string[] {
  const problems: string[] = [];
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    const attributes = match[1] ?? '';
    if (!/\ssrc=/i.test(attributes)) problems.push('a script without src (inline script)');
    if ((match[2] ?? '').trim()) problems.push('a script with inline content');
  }
  for (const match of html.matchAll(/\son[a-z]+\s*=/gi)) problems.push(`an inline event handler ${match[0].trim()}`);
  for (const match of html.matchAll(/\b(?:src|href)\s*=\s*["']?((?:https?:)?\/\/[^"'\s>]+)/gi))
    problems.push(`a third-party URL ${match[1]}`);
  if (/javascript:/i.test(html)) problems.push('a javascript: URL');
  return problems;
}
