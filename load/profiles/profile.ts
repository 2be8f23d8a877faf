/**
 * Target profiles: YAML files that map the load suite's operations onto an HTTP API. `reference.yaml`
 * describes `giftlab serve` and is the default; another file may `extends:` one (see `mergeProfiles`;
 * `null` removes an operation). Validated here with clear errors (exit 2), then handed to the k6 script as
 * the plain JSON of `load/k6/lib/types.ts`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { InputError, type InputProblem, shown } from '../../common/input-error.ts';
import { isRecord } from '../../common/shape.ts';
import { readYaml } from '../../common/yaml-read.ts';
import { zodProblems } from '../../common/zod-problems.ts';
import { placeholders } from '../k6/lib/template.ts';
import { OPERATIONS, type OperationName, type TargetProfile } from '../k6/lib/types.ts';

export const PROFILES_DIR = fileURLToPath(new URL('.', import.meta.url));
export const DEFAULT_TARGET_PROFILE = 'reference';

/** The `{{names}}` each operation may use. */
export const OPERATION_VARS: Record<OperationName, readonly string[]> = {
  purchase: ['viewer.id', 'channel', 'pack'],
  gift: ['viewer.id', 'creator.id', 'gift', 'count', 'context.kind', 'context.id'],
  withdrawal: ['creator.id', 'diamonds'],
  viewerBalance: ['viewer.id'],
  creatorBalance: ['creator.id'],
  journal: ['after', 'limit'],
  health: [],
  economy: [],
  openapi: [],
};

const status = z.number().int().min(100).max(599);
const refusal = z.strictObject({ status: z.array(status).min(1), code: z.string().min(1).optional() });
const dotted = z.string().regex(/^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/, 'a dotted path like balance.coins');

const operation = z.strictObject({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
  path: z.string().startsWith('/', 'a path starting with /'),
  as: z.enum(['viewer', 'creator', 'admin', 'none']).default('none'),
  body: z.unknown().optional(),
  ok: z.array(status).min(1).default([200]),
  read: z
    .strictObject({
      seq: dotted.optional(),
      coins: dotted.optional(),
      diamonds: dotted.optional(),
      code: dotted.optional(),
    })
    .default({}),
  insufficient: refusal.optional(),
  belowMinimum: refusal.optional(),
});

const slo = z.strictObject({
  errorRate: z.number().min(0).max(1),
  p95Ms: z.number().positive(),
  p99Ms: z.number().positive(),
  checksRate: z.number().min(0).max(1),
});

const profileSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, - and _'),
  description: z.string().optional(),
  extends: z.string().optional(),
  headers: z.record(z.string(), z.string()).default({}),
  auth: z.strictObject({ header: z.string().min(1), template: z.string().min(1) }),
  idempotency: z.strictObject({ header: z.string().min(1), replayedHeader: z.string().min(1).optional() }),
  operations: z
    .strictObject(Object.fromEntries(OPERATIONS.map((op) => [op, operation.nullable().optional()])))
    .refine(
      (ops) => ops.purchase && ops.gift && ops.withdrawal,
      'purchase, gift and withdrawal are required',
    ),
  audit: z.enum(['giftlab', 'none']).default('giftlab'),
  slo: z.strictObject({ purchase: slo, gift: slo, withdrawal: slo, read: slo }),
  outcomeUnknown: z
    .array(status.min(300))
    .default([])
    .describe(
      "answers that do not say whether a write happened, e.g. [502, 504] behind a gateway: acked as outcome unknown, so the audit allows the write in the journal at most once instead of requiring it absent (default: none; every 4xx and 5xx is the backend's word that nothing happened)",
    ),
});

export interface LoadedProfile {
  /** What the k6 script reads. */
  profile: TargetProfile;
  /** How `giftlab load` audits after the run. */
  audit: 'giftlab' | 'none';
  file: string;
}

/** A profile by name (a file in load/profiles) or path. */
export function loadTargetProfile(
  nameOrFile: string = DEFAULT_TARGET_PROFILE,
  cwd = process.cwd(),
): LoadedProfile {
  const file = locate(nameOrFile, cwd);
  const raw = resolveExtends(file, new Set());
  const parsed = profileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new InputError(zodProblems(parsed.error.issues, raw, 'profile'), file);
  }
  const p = parsed.data;
  const operations: Record<string, unknown> = {};
  for (const op of OPERATIONS) if (p.operations[op]) operations[op] = p.operations[op];
  const problems = templateProblems(p.auth.template, operations);
  if (problems.length > 0) throw new InputError(problems, file);
  const profile: TargetProfile = {
    name: p.name,
    headers: p.headers,
    auth: p.auth,
    idempotency: p.idempotency,
    operations: operations as TargetProfile['operations'],
    slo: p.slo,
    ...(p.outcomeUnknown.length === 0 ? {} : { outcomeUnknown: p.outcomeUnknown }),
  };
  return { profile, audit: p.audit, file };
}

function locate(nameOrFile: string, cwd: string): string {
  const candidates = /^[a-z0-9][a-z0-9_-]*$/.test(nameOrFile)
    ? [resolve(PROFILES_DIR, `${nameOrFile}.yaml`), resolve(cwd, nameOrFile)]
    : [resolve(cwd, nameOrFile)];
  const found = candidates.find((f) => existsSync(f));
  if (found === undefined) {
    throw new InputError({
      field: '--target-profile',
      expected: 'a profile name in load/profiles (reference, wallet-example) or a YAML file',
      found: shown(nameOrFile),
    });
  }
  return found;
}

function resolveExtends(file: string, seen: Set<string>): Record<string, unknown> {
  if (seen.has(file))
    throw new InputError({ field: 'extends', expected: 'no cycle', found: `${file} again` });
  seen.add(file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const found = code === 'EISDIR' ? 'a directory' : code === 'ENOENT' ? 'no such file' : String(code);
    throw new InputError({ field: 'profile', expected: 'a readable YAML file', found }, file);
  }
  const raw = readYaml(text, file).value;
  if (!isRecord(raw)) {
    throw new InputError({ field: 'profile', expected: 'a YAML mapping', found: shown(raw) }, file);
  }
  const own = raw;
  if (typeof own.extends !== 'string') return own;
  const base = resolveExtends(locate(own.extends, dirname(file)), seen);
  return mergeProfiles(base, own);
}

/**
 * `over` on top of `base`: headers, operations and SLOs merge key by key, and each value below (a
 * header, an operation, an SLO) is replaced whole, as is every other field (auth, idempotency) — an
 * operation's body is never half one API's and half another's.
 */
export function mergeProfiles(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prev = out[key];
    out[key] = MERGED.includes(key) && isRecord(prev) && isRecord(value) ? { ...prev, ...value } : value;
  }
  delete out.extends;
  return out;
}

const MERGED = ['headers', 'operations', 'slo'];

function templateProblems(authTemplate: string, operations: Record<string, unknown>): InputProblem[] {
  const problems: InputProblem[] = [];
  for (const name of placeholders(authTemplate)) {
    if (name !== 'token')
      problems.push({ field: 'auth.template', expected: '{{token}} only', found: `{{${name}}}` });
  }
  for (const [op, spec] of Object.entries(operations)) {
    const allowed = OPERATION_VARS[op as OperationName];
    const s = spec as { path: string; body?: unknown };
    for (const [where, template] of [
      ['path', s.path],
      ['body', s.body],
    ] as const) {
      for (const name of placeholders(template)) {
        if (!allowed.includes(name)) {
          problems.push({
            field: `operations.${op}.${where}`,
            expected:
              allowed.length === 0
                ? 'no placeholders'
                : `placeholders among ${allowed.map((a) => `{{${a}}}`).join(', ')}`,
            found: `{{${name}}}`,
          });
        }
      }
    }
  }
  return problems;
}
