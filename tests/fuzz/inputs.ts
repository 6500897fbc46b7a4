// Hostile inputs for every operation of the API's OpenAPI document: a near-valid request built
// from the operation's JSON schema, then broken one way at a time (malformed JSON, wrong types,
// missing fields, huge and deeply nested bodies, wrong content types, bad base64, oversize
// ciphertext, unicode junk, path traversal in ids). Every case is meant to be refused: none of them
// is a valid request, so none may change what the server stores.
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { createRandom, type Random } from '#fixtures';

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  anyOf?: JsonSchema[];
  default?: unknown;
};

export interface Operation {
  method: string;
  /** OpenAPI path, such as /api/orgs/{orgId}/records. */
  path: string;
  pathParameters: { name: string; schema: JsonSchema }[];
  queryParameters: { name: string; schema: JsonSchema }[];
  body: JsonSchema | null;
  /** False where the body may be left out (then an empty body is not malformed: it is no body). */
  bodyRequired: boolean;
  /** Declares bearer security or a 401 answer: it needs a token. */
  protected: boolean;
}

export interface FuzzCase {
  operation: Operation;
  kind: string;
  /** What the case breaks, for the failure message. */
  detail: string;
  path: string;
  contentType: string | null;
  /** Extra request headers, such as a Content-Encoding the body does not have. */
  headers?: Record<string, string>;
  body: string | Blob | null;
  /** The refusal message must match this (it names the problem). */
  message: RegExp;
}

export type OpenApiDocument = {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { name: string; in: string; schema: JsonSchema }[];
        requestBody?: { content: Record<string, { schema: JsonSchema }>; required?: boolean };
        responses?: Record<string, unknown>;
        security?: unknown[];
      }
    >
  >;
  components?: { schemas?: Record<string, JsonSchema> };
};

/** Operations that answer 401 for a bad signature, not for a missing token: they take no bearer token. */
export const publicOperations = new Set([
  'POST /api/auth/challenge',
  'POST /api/auth/token',
  'POST /api/orgs',
  'POST /api/invitations/accept',
]);

export function operationsOf(document: OpenApiDocument): { operations: Operation[]; resolve: (schema: JsonSchema) => JsonSchema } {
  const resolve = (schema: JsonSchema): JsonSchema => {
    if (!schema.$ref) return schema;
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = document.components?.schemas?.[name];
    if (!target) throw new Error(`unresolved ${schema.$ref}`);
    return resolve(target);
  };
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const parameters = operation.parameters ?? [];
      operations.push({
        method: method.toUpperCase(),
        path,
        pathParameters: parameters
          .filter((parameter) => parameter.in === 'path')
          .map((parameter) => ({ name: parameter.name, schema: parameter.schema })),
        queryParameters: parameters
          .filter((parameter) => parameter.in === 'query')
          .map((parameter) => ({ name: parameter.name, schema: parameter.schema })),
        body: operation.requestBody?.content['application/json']?.schema ?? null,
        bodyRequired: operation.requestBody?.required ?? false,
        protected:
          !publicOperations.has(`${method.toUpperCase()} ${path}`) &&
          (Boolean(operation.security?.length) || Object.keys(operation.responses ?? {}).includes('401')),
      });
    }
  }
  return { operations, resolve };
}

/** A value the schema accepts (first enum value, shortest string its pattern and bounds allow). */
export function validValue(schema: JsonSchema, resolve: (schema: JsonSchema) => JsonSchema): unknown {
  const resolved = resolve(schema);
  if (resolved.const !== undefined) return resolved.const;
  if (resolved.enum?.length) return resolved.enum[0];
  if (resolved.anyOf?.length) return validValue(resolved.anyOf[0]!, resolve);
  const type = Array.isArray(resolved.type) ? resolved.type.find((name) => name !== 'null') : resolved.type;
  switch (type) {
    case 'object': {
      const value: Record<string, unknown> = {};
      for (const [key, property] of Object.entries(resolved.properties ?? {})) value[key] = validValue(property, resolve);
      return value;
    }
    case 'array':
      return Array.from({ length: Math.max(1, resolved.minItems ?? 1) }, () => validValue(resolved.items ?? {}, resolve));
    case 'integer':
    case 'number':
      return Math.max(resolved.minimum ?? 1, 1);
    case 'boolean':
      return true;
    case 'string': {
      const pattern = resolved.pattern ? new RegExp(resolved.pattern) : null;
      const lengths = [resolved.minLength ?? 0, 16, 43, 86, 2, 36, 54, 64].filter(
        (length) => length >= (resolved.minLength ?? 0) && length <= (resolved.maxLength ?? Infinity),
      );
      for (const length of lengths) {
        for (const alphabet of ['A', 'N']) {
          const candidate = alphabet.repeat(length);
          if (!pattern || pattern.test(candidate)) return candidate;
        }
      }
      return 'NP';
    }
    default:
      return null;
  }
}

/** Every path in a JSON value to an object key or array element, with the schema there. */
function locations(
  value: unknown,
  schema: JsonSchema,
  resolve: (schema: JsonSchema) => JsonSchema,
  prefix: (string | number)[] = [],
): { path: (string | number)[]; schema: JsonSchema; required: boolean }[] {
  const resolved = resolve(schema);
  const found: { path: (string | number)[]; schema: JsonSchema; required: boolean }[] = [];
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      found.push({ path: [...prefix, index], schema: resolved.items ?? {}, required: true });
      found.push(...locations(item, resolved.items ?? {}, resolve, [...prefix, index]));
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const property = resolved.properties?.[key] ?? {};
      found.push({ path: [...prefix, key], schema: property, required: resolved.required?.includes(key) ?? false });
      found.push(...locations(item, property, resolve, [...prefix, key]));
    }
  }
  return found;
}

function setAt(root: unknown, path: (string | number)[], replacement: unknown, remove = false): unknown {
  const copy = structuredClone(root);
  let cursor = copy as Record<string | number, unknown>;
  for (const step of path.slice(0, -1)) cursor = cursor[step] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (remove) delete cursor[last];
  else cursor[last] = replacement;
  return copy;
}

const unicodeJunk = ['\u0000', '\ud800', '\u202e\u0041', '\ufeff', '💥'.repeat(40), 'e\u0301'.repeat(30), '\u{10ffff}', '../../etc/passwd'];
const isBase64Field = (schema: JsonSchema) => schema.pattern === '^[A-Za-z0-9_-]*$';
const deepArray = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/** Values that no schema field here accepts, for the given field's schema. */
function wrongValues(schema: JsonSchema, resolve: (schema: JsonSchema) => JsonSchema): { label: string; value: unknown; raw?: string }[] {
  const resolved = resolve(schema);
  const type = Array.isArray(resolved.type) ? resolved.type.find((name) => name !== 'null') : resolved.type;
  // null is no wrong value for a nullable field (type [..., 'null']): the request stays valid.
  const nullable = Array.isArray(resolved.type) && resolved.type.includes('null');
  // Nor is a boolean for a boolean field (`suppressed: false` is a valid summary cell).
  const values: { label: string; value: unknown; raw?: string }[] = [
    ...(nullable ? [] : [{ label: 'null', value: null }]),
    ...(type === 'boolean' ? [] : [{ label: 'boolean', value: false }]),
  ];
  if (type !== 'object') values.push({ label: 'object', value: { nested: { deeper: [1, 2, 3] } } });
  if (type !== 'array') values.push({ label: 'array', value: ['a', 1, null] });
  if (type === 'string') {
    values.push({ label: 'number', value: 12 });
    values.push({ label: 'huge string (400,000 characters)', value: '\u00e9'.repeat(400_000) });
    if (resolved.pattern || resolved.enum) {
      for (const junk of unicodeJunk)
        values.push({ label: `unicode junk ${JSON.stringify(junk).slice(0, 20)}`, value: `${junk}${validValue(resolved, resolve)}` });
    } else {
      values.push({ label: 'empty string', value: resolved.minLength ? '' : 'x'.repeat((resolved.maxLength ?? 200_000) + 1) });
    }
    if (isBase64Field(resolved)) {
      const length = Math.max(resolved.minLength ?? 4, 8);
      values.push({ label: 'base64 with padding', value: `${'A'.repeat(length)}==` });
      values.push({ label: 'standard base64 alphabet', value: `${'A'.repeat(length - 2)}+/` });
      values.push({ label: 'base64 with spaces', value: `${'A'.repeat(length / 2)} ${'A'.repeat(length / 2)}` });
      values.push({ label: 'base64 too short', value: 'A'.repeat(Math.max(0, (resolved.minLength ?? 1) - 1)) });
      values.push({ label: 'oversize ciphertext', value: 'A'.repeat((resolved.maxLength ?? 400_000) + 4) });
      // Right alphabet and length bounds, but no byte string encodes to it: a last character with
      // unused bits set, or a length of 1 modulo 4.
      const minimum = Math.max(resolved.minLength ?? 2, 2);
      // A length of 2 or 3 modulo 4 leaves unused bits in the last character; "B" sets one of them.
      const withSpareBits = minimum + ([2, 1, 0, 0][minimum % 4] ?? 0);
      values.push({ label: 'non-canonical base64 (trailing bits)', value: `${'A'.repeat(withSpareBits - 1)}B` });
      const impossible = minimum + ((5 - (minimum % 4)) % 4);
      if (impossible <= (resolved.maxLength ?? Infinity))
        values.push({ label: 'non-canonical base64 (length 1 mod 4)', value: 'A'.repeat(impossible) });
    }
  }
  if (type === 'integer' || type === 'number') {
    values.push({ label: 'negative', value: -1 });
    values.push({ label: 'fraction', value: 0.5 });
    values.push({ label: 'too large', value: 1e308 });
    values.push({ label: 'numeric string', value: '1' });
    values.push({ label: 'overflowing literal', value: 0, raw: '1e999' });
  }
  if (type === 'array') values.push({ label: 'deeply nested array', value: 0, raw: deepArray(5_000) });
  if (type === 'object' || type === 'array') values.push({ label: 'string', value: 'AAAAAAAAAAAAAAAA' });
  return values;
}

/** JSON text with one value spliced in raw (for literals JSON.stringify cannot write). */
function stringifyWithRaw(value: unknown, path: (string | number)[], raw: string): string {
  const marker = '__RAW_MARKER_7f3a__';
  return JSON.stringify(setAt(value, path, marker)).replace(JSON.stringify(marker), raw);
}

export function fill(path: string, values: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? 'AAAAAAAAAAAAAAAA');
}

const traversalIds = [
  '..%2F..%2Fetc%2Fpasswd',
  '%2E%2E',
  '..%5C..%5Cwindows',
  '%00',
  'AAAAAAAA%00BBBB',
  '%E0%A4%A',
  '%F0%9F%92%A5%F0%9F%92%A5%F0%9F%92%A5',
  'A'.repeat(5_000),
  '%252E%252E%252F',
  'AAAAAAAA%20OR%201%3D1',
  "AAAAAAAA'%3B--",
];

const withQuery = (path: string, query: Record<string, string>) =>
  Object.keys(query).length ? `${path}?${new URLSearchParams(query)}` : path;

/** The near-valid request the cases break: known ids (the caller's own org and member) where the path names them. */
export function goodRequest(operation: Operation, resolve: (schema: JsonSchema) => JsonSchema, ids: Record<string, string>) {
  const goodIds = Object.fromEntries(
    operation.pathParameters.map((parameter) => [parameter.name, ids[parameter.name] ?? String(validValue(parameter.schema, resolve))]),
  );
  const goodPath = fill(operation.path, goodIds);
  const goodQuery = Object.fromEntries(
    operation.queryParameters.map((parameter) => [parameter.name, String(validValue(parameter.schema, resolve))]),
  );
  const base = operation.body ? validValue(operation.body, resolve) : null;
  return { goodIds, goodPath, goodQuery, base, url: withQuery(goodPath, goodQuery) };
}

/**
 * The cases for one operation, sampled with a seeded generator: at most `perOperation`, always
 * including one of each kind the operation has.
 */
export function casesFor(
  operation: Operation,
  resolve: (schema: JsonSchema) => JsonSchema,
  ids: Record<string, string>,
  seed: string,
  perOperation: number,
): FuzzCase[] {
  const random: Random = createRandom(seed);
  const byKind = new Map<string, FuzzCase[]>();
  const add = (fuzzCase: Omit<FuzzCase, 'operation'>) => {
    const list = byKind.get(fuzzCase.kind) ?? [];
    list.push({ operation, ...fuzzCase });
    byKind.set(fuzzCase.kind, list);
  };
  const { goodIds, goodPath, goodQuery, base } = goodRequest(operation, resolve, ids);
  const baseText = base === null ? null : JSON.stringify(base);
  const json = 'application/json';

  for (const { name } of operation.pathParameters) {
    for (const junk of traversalIds) {
      add({
        kind: 'path traversal in ids',
        detail: `${name}=${junk.slice(0, 40)}`,
        path: withQuery(fill(operation.path, { ...goodIds, [name]: junk }), goodQuery),
        contentType: baseText === null ? null : json,
        body: baseText,
        message: new RegExp(`path\\.${name}|own organisation|no route|not found|no such`),
      });
    }
  }
  for (const parameter of operation.queryParameters) {
    for (const junk of ['-1', 'abc', '1.5', '1e999', '99999999999999999999999', '\u202e1', '10001%00']) {
      add({
        kind: 'wrong query',
        detail: `${parameter.name}=${junk}`,
        path: withQuery(goodPath, { ...goodQuery, [parameter.name]: junk }),
        contentType: null,
        body: null,
        message: new RegExp(`query\\.${parameter.name}`),
      });
    }
  }
  if (operation.body && base !== null) {
    const path = withQuery(goodPath, goodQuery);
    const malformed = [
      baseText!.slice(0, Math.floor(baseText!.length / 2)),
      `${baseText!.slice(0, -1)},}`,
      "{'single': 'quotes'}",
      '{"a":1}{"b":2}',
      '\u0000\u0001\u0002',
      'nul',
      '{"a":"\\ud800\\u"}',
      ...(operation.bodyRequired ? [''] : []),
    ];
    for (const text of malformed)
      add({ kind: 'malformed JSON', detail: JSON.stringify(text.slice(0, 30)), path, contentType: json, body: text, message: /JSON|body/ });
    add({
      kind: 'malformed JSON',
      detail: 'bytes that are not UTF-8',
      path,
      contentType: json,
      body: new Blob([new Uint8Array([0x7b, 0xff, 0xfe, 0xc3, 0x28, 0x7d])]),
      message: /JSON/,
    });
    for (const whole of [
      'null',
      '[]',
      '"text"',
      '1e999',
      'true',
      '{"__proto__":{"admin":true}}',
      '{"constructor":{"prototype":{"admin":true}}}',
    ]) {
      add({ kind: 'wrong types', detail: `body ${whole}`, path, contentType: json, body: whole, message: /body/ });
    }
    add({ kind: 'deep nesting', detail: 'body nested 100,000 deep', path, contentType: json, body: deepArray(100_000), message: /body/ });
    add({
      kind: 'deep nesting',
      detail: 'objects nested 20,000 deep',
      path,
      contentType: json,
      body: `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`,
      message: /body/,
    });
    add({
      kind: 'huge body',
      detail: '6 MB of unknown keys',
      path,
      contentType: json,
      body: JSON.stringify({ padding: 'x'.repeat(6_000_000) }),
      message: /body|MiB|at most/,
    });
    if (/records$/.test(operation.path)) {
      add({
        kind: 'huge body',
        detail: '33 MiB push',
        path,
        contentType: json,
        body: JSON.stringify({ records: [], padding: 'x'.repeat(33 * 1024 * 1024) }),
        message: /MiB/,
      });
    }
    for (const contentType of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/xml',
      'application/jsonx',
    ]) {
      add({ kind: 'wrong content type', detail: contentType, path, contentType, body: baseText, message: /Media Type|content.type|JSON/i });
    }
    add({
      kind: 'wrong content type',
      detail: 'no content type',
      path,
      contentType: null,
      body: baseText,
      message: /Media Type|content.type|JSON|body/i,
    });
    // The body really is compressed (a valid request, once inflated). workerd hands the Worker the
    // bytes as sent, so the API must refuse them as not JSON, not choke on them.
    const compressed = { gzip: gzipSync(baseText!), br: brotliCompressSync(baseText!), deflate: deflateSync(baseText!) };
    for (const [encoding, bytes] of Object.entries(compressed)) {
      add({
        kind: 'wrong content encoding',
        detail: `${encoding} body`,
        path,
        contentType: json,
        headers: { 'content-encoding': encoding },
        body: new Blob([new Uint8Array(bytes)]),
        message: /JSON|body/,
      });
    }
    for (const location of locations(base, operation.body, resolve)) {
      const where = `body.${location.path.join('.')}`;
      const named = new RegExp(`body\\.${location.path.map(String).join('\\.')}`);
      if (location.required) {
        add({
          kind: 'missing fields',
          detail: `without ${where}`,
          path,
          contentType: json,
          body: JSON.stringify(setAt(base, location.path, undefined, true)),
          message: named,
        });
      }
      for (const wrong of wrongValues(location.schema, resolve)) {
        const kind = wrong.label.startsWith('non-canonical')
          ? 'non-canonical base64'
          : /base64|ciphertext/.test(wrong.label)
            ? wrong.label === 'oversize ciphertext'
              ? 'oversize ciphertext'
              : 'bad base64'
            : wrong.label.startsWith('unicode')
              ? 'unicode junk'
              : wrong.label.startsWith('deeply')
                ? 'deep nesting'
                : wrong.label.startsWith('huge')
                  ? 'huge body'
                  : 'wrong types';
        const body =
          wrong.raw !== undefined
            ? stringifyWithRaw(base, location.path, wrong.raw)
            : JSON.stringify(setAt(base, location.path, wrong.value));
        add({
          kind,
          detail: `${where} = ${wrong.label}`,
          path,
          contentType: json,
          body,
          message: wrong.raw === '1e999' ? new RegExp(`${named.source}|JSON`) : named,
        });
      }
    }
  }
  // Sample: one of each kind first, then random others, up to the bound.
  const chosen: FuzzCase[] = [];
  const rest: FuzzCase[] = [];
  for (const list of byKind.values()) {
    const index = Math.floor(random.next() * list.length);
    chosen.push(list[index]!);
    rest.push(...list.filter((_, other) => other !== index));
  }
  while (chosen.length < perOperation && rest.length > 0) chosen.push(rest.splice(Math.floor(random.next() * rest.length), 1)[0]!);
  return chosen;
}
