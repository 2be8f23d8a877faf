/**
 * Requests through the target profile: renders the operation's path, headers and body, sends it (alone
 * or in a concurrent batch), checks the answer, records writes as acks for the audit and reads what
 * the profile says the answer states (journal seq, coins, diamonds, error code).
 */
import { check } from 'k6';
import http, { type Params, type RefinedResponse, type ResponseType } from 'k6/http';
import type { Counter } from 'k6/metrics';
import { ackLine } from '../lib/acks.ts';
import { readPath, renderBody, renderPath, renderString, type Vars } from '../lib/template.ts';
import type { OperationName, OpTag, TargetProfile, WriteKind } from '../lib/types.ts';

export interface Metrics {
  coinsPurchased: Counter;
  coinsGifted: Counter;
  overdraftRejections: Counter;
  idempotentReplays: Counter;
  unknownOutcomes: Counter;
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

const WRITES: readonly string[] = ['purchase', 'gift', 'withdrawal'];
const callbacks: Record<string, ReturnType<typeof http.expectedStatuses>> = {};

export class Client {
  constructor(
    private readonly target: TargetProfile,
    private readonly baseUrl: string,
    private readonly metrics: Metrics,
  ) {}

  has(op: OperationName): boolean {
    return this.target.operations[op] !== undefined;
  }

  prepare(call: Call): Prepared {
    const spec = this.target.operations[call.op];
    if (spec === undefined) throw new Error(`target profile ${this.target.name} has no ${call.op} operation`);
    const kind = WRITES.includes(call.op) ? (call.op as WriteKind) : undefined;
    const headers: Record<string, string> = { ...this.target.headers };
    if (spec.as !== 'none' && call.token !== undefined) {
      headers[this.target.auth.header] = renderString(this.target.auth.template, { token: call.token });
    }
    if (kind !== undefined && call.key !== undefined) headers[this.target.idempotency.header] = call.key;
    const body = spec.body === undefined ? null : JSON.stringify(renderBody(spec.body, call.vars));
    if (body !== null && headers['Content-Type'] === undefined && headers['content-type'] === undefined) {
      headers['Content-Type'] = 'application/json';
    }
    const accept = (call.alsoAccept ?? []).concat(spec.ok);
    const tag: OpTag = kind ?? 'read';
    return {
      op: call.op,
      kind,
      key: call.key,
      method: spec.method,
      url: this.baseUrl + renderPath(spec.path, call.vars),
      body,
      accept,
      tag,
      params: {
        headers,
        tags: { op: tag, name: `${spec.method} ${spec.path}`, ...(call.tags ?? {}) },
        responseCallback: expected(accept),
        timeout: '30s',
      },
    };
  }

  send(p: Prepared): Answer {
    this.announce(p);
    const res = http.request(p.method, p.url, p.body, p.params);
    return this.finish(p, res);
  }

  /** Sends the requests at once (k6 runs them concurrently) and answers in the same order. */
  sendBatch(ps: Prepared[]): Answer[] {
    for (const p of ps) this.announce(p);
    const responses = http.batch(
      ps.map((p) => [p.method, p.url, p.body, p.params] as [string, string, string | null, Params]),
    );
    return ps.map((p, i) => this.finish(p, responses[i]));
  }

  /** Checks a flow's own expectation (replays, balances) under the op's tag. */
  expect(tag: OpTag, name: string, ok: boolean): boolean {
    return check(null, { [name]: () => ok }, { op: tag });
  }

  /** Before sending: an "outcome unknown" ack, superseded by the answer's. */
  private announce(p: Prepared): void {
    if (p.kind !== undefined && p.key !== undefined) {
      console.log(ackLine({ opId: p.key, kind: p.kind, status: 0, response: null }));
    }
  }

  private finish(p: Prepared, res: RefinedResponse<ResponseType | undefined>): Answer {
    const spec = this.target.operations[p.op]!;
    const body = parse(res.body);
    const answer: Answer = {
      status: res.status,
      body,
      seq: numberAt(body, spec.read.seq),
      coins: numberAt(body, spec.read.coins),
      diamonds: numberAt(body, spec.read.diamonds),
      code: stringAt(body, spec.read.code),
      replayed:
        this.target.idempotency.replayedHeader !== undefined &&
        isTrue(res.headers, this.target.idempotency.replayedHeader),
      insufficient: false,
    };
    const refusal = spec.insufficient;
    answer.insufficient =
      refusal?.status.includes(res.status) === true &&
      (refusal.code === undefined || refusal.code === answer.code);
    if (answer.insufficient) this.metrics.overdraftRejections.add(1, { op: p.tag });
    if (res.status === 0) this.metrics.unknownOutcomes.add(1, { op: p.tag });
    if (p.kind !== undefined && p.key !== undefined) {
      const response =
        answer.seq !== undefined && spec.read.seq !== 'seq' && isObject(body)
          ? { ...body, seq: answer.seq }
          : body;
      console.log(ackLine({ opId: p.key, kind: p.kind, status: res.status, response }));
    }
    const ok = spec.ok.includes(res.status);
    const checks: Record<string, () => boolean> = {
      [`${p.op} answered ${p.accept.join('|')}`]: () => p.accept.includes(res.status),
    };
    if (p.kind !== undefined && ok && spec.read.seq !== undefined) {
      checks[`${p.op} states its journal seq`] = () => answer.seq !== undefined;
    }
    check(res, checks, { op: p.tag });
    return answer;
  }
}

function expected(accept: number[]): ReturnType<typeof http.expectedStatuses> {
  const id = accept.join(',');
  if (callbacks[id] === undefined) callbacks[id] = http.expectedStatuses(...accept);
  return callbacks[id];
}

function parse(body: unknown): unknown {
  if (typeof body !== 'string' || body.length === 0) return null;
  try {
    return JSON.parse(body);
  } catch {
    return body.slice(0, 200);
  }
}

function numberAt(body: unknown, path: string | undefined): number | undefined {
  const v = readPath(body, path);
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function stringAt(body: unknown, path: string | undefined): string | undefined {
  const v = readPath(body, path);
  return typeof v === 'string' ? v : undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isTrue(headers: Record<string, string>, name: string): boolean {
  const lower = name.toLowerCase();
  for (const k of Object.keys(headers)) if (k.toLowerCase() === lower) return headers[k] === 'true';
  return false;
}
