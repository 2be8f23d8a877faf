/**
 * The target's JSON body parser: Fastify's own (empty bodies, syntax, `__proto__` and `constructor`
 * keys), then a refusal of any object that repeats a key. `JSON.parse` keeps the last of two equal keys
 * silently, while a proxy or WAF in front may read the first: `"pack":"c70","pack":"c17500"` would be
 * checked as one pack and charged as the other. So a body with a repeated key, at any depth, is a 400.
 */
import type { ConstructorAction, FastifyInstance, FastifyRequest, ProtoAction } from 'fastify';
import { ApiError } from './errors.ts';

/** An object being read (its keys so far, the member being read) or an array (the position). */
type Frame =
  | { kind: 'object'; keys: Set<string>; key: string; expectKey: boolean }
  | { kind: 'array'; index: number };

/**
 * The path to the first key repeated within one object (`['context', 'kind']`; array positions as
 * numbers: `['items', '0', 'id']`), or undefined when every object's keys differ. Keys are compared as
 * `JSON.parse` reads them, escapes undone (`"pack"` and `"p\u0061ck"` are the same key).
 *
 * Meant for text `JSON.parse` accepted; on any other text it still ends, without throwing, in one pass.
 */
export function duplicateKeyPath(text: string): string[] | undefined {
  const stack: Frame[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const top = stack.at(-1);
    if (c === '"') {
      const end = stringEnd(text, i);
      // A string right after an object's `{` or `,` is a key; any other is a value.
      if (top?.kind === 'object' && top.expectKey) {
        const key = unescaped(text.slice(i + 1, end));
        if (top.keys.has(key)) return [...pathTo(stack), key];
        top.keys.add(key);
        top.key = key;
        top.expectKey = false;
      }
      i = end;
    } else if (c === '{') {
      stack.push({ kind: 'object', keys: new Set(), key: '', expectKey: true });
    } else if (c === '[') {
      stack.push({ kind: 'array', index: 0 });
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',') {
      if (top?.kind === 'object') top.expectKey = true;
      else if (top?.kind === 'array') top.index++;
    }
  }
  return undefined;
}

/** The index of the quote that closes the string opening at `start` (or the text's length). */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') return i;
    i += c === '\\' ? 2 : 1;
  }
  return text.length;
}

function unescaped(raw: string): string {
  if (!raw.includes('\\')) return raw;
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw; // not JSON: compared as written
  }
}

/** The members each enclosing object or array is in, outermost first. */
function pathTo(stack: readonly Frame[]): string[] {
  return stack.slice(0, -1).map((f) => (f.kind === 'object' ? f.key : String(f.index)));
}

/** The refusal of a body whose object repeats the key at `path`. */
export function duplicateKeyError(path: readonly string[]): ApiError {
  const field = path.join('.');
  const key = JSON.stringify(path[path.length - 1]);
  const shownKey = key.length > 40 ? `${key.slice(0, 37)}...` : key;
  return new ApiError(
    'GIFT_ERR_MALFORMED_JSON',
    `${field}: expected each key once in an object, found ${shownKey} more than once`,
    field,
  );
}

/** Fastify's default JSON parser, in the callback form it has. */
type JsonParser = (
  request: FastifyRequest,
  body: string,
  done: (error: Error | null, value?: unknown) => void,
) => void;

/** Replaces the app's `application/json` parser: Fastify's default, then the repeated-key check. */
export function parseJsonBodies(
  app: FastifyInstance,
  poisoning: { onProtoPoisoning: ProtoAction; onConstructorPoisoning: ConstructorAction },
): void {
  const parse = app.getDefaultJsonParser(
    poisoning.onProtoPoisoning,
    poisoning.onConstructorPoisoning,
  ) as JsonParser;
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    // Bodies are read as sent: a compressed one would be parsed as its bytes (a gzip body read as JSON).
    const encoding = request.headers['content-encoding'];
    if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity')
      return done(
        new ApiError(
          'GIFT_ERR_UNSUPPORTED_MEDIA_TYPE',
          `send the body uncompressed: no Content-Encoding, found ${JSON.stringify(encoding).slice(0, 40)}`,
          'Content-Encoding',
        ),
        undefined,
      );
    parse(request, body as string, (error, value) => {
      if (error !== null) return done(error, undefined);
      const path = duplicateKeyPath(body as string);
      if (path !== undefined) return done(duplicateKeyError(path), undefined);
      done(null, value);
    });
  });
}
