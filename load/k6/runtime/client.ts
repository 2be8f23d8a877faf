/**
 * Requests through the target profile: renders the operation's path, headers and body, sends it (alone
 * or in a concurrent batch), checks the answer, records writes as acks for the audit and reads what
 * the profile says the answer states (journal seq, coins, diamonds, error code).
 */
import { check } from 'k6';
import http, { type Params, type RefinedResponse, type ResponseType } from 'k6/http';
import type { Counter } from 'k6/metrics';
import { answerAckLine, sentAckLine } from '../lib/acks.ts';
import type { Phase } from '../lib/profiles.ts';
import { type Compiled, compileBody, compileString, type Vars } from '../lib/template.ts';
import {
  type OperationName,
  type OpTag,
  type TargetProfile,
  WRITE_KINDS,
  type WriteKind,
} from '../lib/types.ts';

export interface Metrics {
  coinsPurchased: Counter;
  coinsGifted: Counter;
  overdraftRejections: Counter;
  idempotentReplays: Counter;
  unknownOutcomes: Counter;
  coveredRefusals: Counter;
}

export interface Answer {
  status: number;
  body: unknown;
  seq: number | undefined;
  coins: number | undefined;
  diamonds: number | undefined;
  code: string | undefined;
  replayed: boolean;
  /** Refused for lack of coins or diamonds. */
  insufficient: boolean;
}

export interface Prepared {
  op: OperationName;
  kind: WriteKind | undefined;
  key: string | undefined;
  method: string;
  url: string;
  body: string | null;
  params: Params;
  accept: number[];
  tag: OpTag;
}

export interface Call {
  op: OperationName;
  /** Token for the auth header (none for public routes). */
  token?: string;
  vars: Vars;
  /** Extra tags (channel, pack, gift, context, replay). */
  tags?: Record<string, string>;
  /** Statuses to count as answered-as-expected beyond the operation's `ok` (refusals the flow provokes). */
  alsoAccept?: number[];
  /** Idempotency key (writes). */
  key?: string;
}

const WRITES: readonly string[] = WRITE_KINDS;
const callbacks: Record<string, ReturnType<typeof http.expectedStatuses>> = {};

/** An operation's templates and answer paths, compiled once per VU (k6 runs JavaScript in an interpreter). */
interface Compiledop {
  path: (vars: Vars) => string;
  body: Compiled | undefined;
  name: string;
  seq: string[] | undefined;
  coins: string[] | undefined;
  diamonds: string[] | undefined;
  code: string[] | undefined;
  /** Check names by accepted statuses. */
  answered: Record<string, string>;
  statesSeq: string;
}

export class Client {
  private readonly compiled: Partial<Record<OperationName, Compiledop>> = {};
  /** Answer acks not yet logged: they go out with the next "sent" ack or at the iteration's end. */
  private pending = '';
  private readonly auth: (vars: Vars) => string;
  private readonly contentType: boolean;
  /** The replayed header as k6 names response headers (canonical case), if the profile has one. */
  private readonly replayedHeader: string | undefined;
  /** The profile's statuses that leave a write's outcome unknown (acked as status 0). */
  private readonly outcomeUnknown: number[];

  constructor(
    private readonly target: TargetProfile,
    private readonly baseUrl: string,
    private readonly metrics: Metrics,
    /** The phase now, for every request's `phase` tag (runtime/phase.ts); undefined: a profile without phases. */
    readonly phase?: () => Phase,
  ) {
    this.auth = compileString(target.auth.template);
    this.contentType = Object.keys(target.headers).some((h) => h.toLowerCase() === 'content-type');
    const replayed = target.idempotency.replayedHeader;
    this.replayedHeader = replayed === undefined ? undefined : canonicalHeader(replayed);
    this.outcomeUnknown = target.outcomeUnknown ?? [];
    // Compiled now, in the init context, not on each VU's first iteration: the arrival-rate executors
    // give every VU its first arrival at the start of the run, all at once (see lib/streams.ts).
    for (const name of Object.keys(target.operations) as OperationName[]) {
      if (target.operations[name]) this.compile(name);
    }
  }

  has(op: OperationName): boolean {
    return this.target.operations[op] !== undefined;
  }

  prepare(call: Call): Prepared {
    const spec = this.target.operations[call.op];
    if (spec === undefined) throw new Error(`target profile ${this.target.name} has no ${call.op} operation`);
    const op = this.compile(call.op);
    const kind = WRITES.includes(call.op) ? (call.op as WriteKind) : undefined;
    const headers: Record<string, string> = {};
    for (const h of Object.keys(this.target.headers)) headers[h] = this.target.headers[h];
    if (spec.as !== 'none' && call.token !== undefined) {
      headers[this.target.auth.header] = this.auth({ token: call.token });
    }
    if (kind !== undefined && call.key !== undefined) headers[this.target.idempotency.header] = call.key;
    const body = op.body === undefined ? null : JSON.stringify(op.body(call.vars));
    if (body !== null && !this.contentType) headers['Content-Type'] = 'application/json';
    const accept = call.alsoAccept === undefined ? spec.ok : call.alsoAccept.concat(spec.ok);
    const tag: OpTag = kind ?? 'read';
    const tags: Record<string, string> = { op: tag, name: op.name };
    if (this.phase !== undefined) tags.phase = this.phase();
    if (call.tags !== undefined) for (const t of Object.keys(call.tags)) tags[t] = call.tags[t];
    return {
      op: call.op,
      kind,
      key: call.key,
      method: spec.method,
      url: this.baseUrl + op.path(call.vars),
      body,
      accept,
      tag,
      params: refusalsExpected(accept)
        ? { headers, tags, responseCallback: expected(accept) }
        : { headers, tags },
    };
  }

  private compile(name: OperationName): Compiledop {
    let op = this.compiled[name];
    if (op === undefined) {
      const spec = this.target.operations[name]!;
      const split = (path: string | undefined) => (path === undefined ? undefined : path.split('.'));
      op = {
        path: compileString(spec.path, true),
        body: spec.body === undefined ? undefined : compileBody(spec.body),
        name: `${spec.method} ${spec.path}`,
        seq: split(spec.read.seq),
        coins: split(spec.read.coins),
        diamonds: split(spec.read.diamonds),
        code: split(spec.read.code),
        answered: {},
        statesSeq: `${name} states its journal seq`,
      };
      this.compiled[name] = op;
    }
    return op;
  }

  send(p: Prepared): Answer {
    this.announce([p]);
    const res = http.request(p.method, p.url, p.body, p.params);
    return this.finish(p, res);
  }

  /** Sends the requests at once (k6 runs them concurrently) and answers in the same order. */
  sendBatch(ps: Prepared[]): Answer[] {
    this.announce(ps);
    const responses = http.batch(
      ps.map((p) => [p.method, p.url, p.body, p.params] as [string, string, string | null, Params]),
    );
    return ps.map((p, i) => this.finish(p, responses[i]));
  }

  /** Checks a flow's own expectation (replays, balances) under the op's tag. */
  expect(tag: OpTag, name: string, ok: boolean): boolean {
    return check(null, { [name]: () => ok }, { op: tag });
  }

  /**
   * For writes sent outside `send` (the economy streams): their "sent" acks, logged at once together
   * with the answers still pending; the answers go to `answered` and out with the next log.
   */
  sent(lines: string): void {
    console.log(this.pending === '' ? lines : `${this.pending}\n${lines}`);
    this.pending = '';
  }

  answered(line: string): void {
    this.pending += (this.pending === '' ? '' : '\n') + line;
  }

  /** Logs the answer acks still pending; every scenario function ends with it. */
  flush(): void {
    if (this.pending === '') return;
    console.log(this.pending);
    this.pending = '';
  }

  /**
   * Before sending: an "outcome unknown" ack for each write, superseded by the answer's, logged in one
   * line-per-ack message together with the answers pending (one log call per request, not two).
   */
  private announce(ps: Prepared[]): void {
    let lines = this.pending;
    for (const p of ps) {
      if (p.kind === undefined || p.key === undefined) continue;
      lines += (lines === '' ? '' : '\n') + sentAckLine(p.key, p.kind);
    }
    if (lines === this.pending) return;
    console.log(lines);
    this.pending = '';
  }

  private finish(p: Prepared, res: RefinedResponse<ResponseType | undefined>): Answer {
    const spec = this.target.operations[p.op]!;
    const op = this.compile(p.op);
    const text = typeof res.body === 'string' ? res.body : undefined;
    const body = parse(text);
    const answer: Answer = {
      status: res.status,
      body,
      seq: numberAt(body, op.seq),
      coins: numberAt(body, op.coins),
      diamonds: numberAt(body, op.diamonds),
      code: stringAt(body, op.code),
      replayed: this.replayedHeader !== undefined && res.headers[this.replayedHeader] === 'true',
      insufficient: false,
    };
    const refusal = spec.insufficient;
    answer.insufficient =
      refusal?.status.includes(res.status) === true &&
      (refusal.code === undefined || refusal.code === answer.code);
    if (answer.insufficient) this.metrics.overdraftRejections.add(1, { op: p.tag });
    // A write without an answer may or may not have happened (a read without one is only a failed read);
    // so may one answered with a status the profile says leaves it unknown (a gateway's 504).
    const acked = p.kind !== undefined && this.outcomeUnknown.includes(res.status) ? 0 : res.status;
    if (acked === 0 && p.kind !== undefined) this.metrics.unknownOutcomes.add(1, { op: p.tag });
    if (p.kind !== undefined && p.key !== undefined) {
      // The audit matches acks on `response.seq`: an API stating it elsewhere gets it copied there.
      const moved = answer.seq !== undefined && spec.read.seq !== 'seq' && isObject(body);
      const raw = !moved && isObject(body) ? text : undefined;
      const response = moved ? { ...(body as Record<string, unknown>), seq: answer.seq } : body;
      const line = answerAckLine(p.key, p.kind, acked, raw, response);
      this.pending += (this.pending === '' ? '' : '\n') + line;
    }
    const ok = spec.ok.includes(res.status);
    const key = p.accept.join('|');
    let answered = op.answered[key];
    if (answered === undefined) {
      answered = `${p.op} answered ${key}`;
      op.answered[key] = answered;
    }
    // k6 takes a check's result as a value as well as a function.
    const checks: Record<string, boolean> = { [answered]: p.accept.includes(res.status) };
    if (p.kind !== undefined && ok && op.seq !== undefined) {
      checks[op.statesSeq] = answer.seq !== undefined;
    }
    check(res, checks as unknown as Record<string, () => boolean>, { op: p.tag });
    return answer;
  }
}

/** k6 counts 2xx and 3xx as expected by default; a callback only where a refusal is expected too. */
function refusalsExpected(accept: number[]): boolean {
  for (const status of accept) if (status >= 400) return true;
  return false;
}

function expected(accept: number[]): ReturnType<typeof http.expectedStatuses> {
  const id = accept.join(',');
  if (callbacks[id] === undefined) callbacks[id] = http.expectedStatuses(...accept);
  return callbacks[id];
}

function parse(body: string | undefined): unknown {
  if (body === undefined || body.length === 0) return null;
  try {
    return JSON.parse(body);
  } catch {
    return body.slice(0, 200);
  }
}

function at(body: unknown, path: string[] | undefined): unknown {
  if (path === undefined) return undefined;
  let value = body;
  for (let i = 0; i < path.length; i++) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[path[i]];
  }
  return value;
}

function numberAt(body: unknown, path: string[] | undefined): number | undefined {
  const v = at(body, path);
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function stringAt(body: unknown, path: string[] | undefined): string | undefined {
  const v = at(body, path);
  return typeof v === 'string' ? v : undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `idempotent-replayed` → `Idempotent-Replayed`, as Go (and so k6) names response headers. */
export function canonicalHeader(name: string): string {
  return name
    .toLowerCase()
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('-');
}
