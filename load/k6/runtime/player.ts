/**
 * The economy profiles' iteration: the next item of this VU's precomputed stream (`lib/streams.ts`),
 * sent as it is. The hot path — purchases and gifts — renders nothing and parses nothing but its stream,
 * a chunk of a few items when it reaches one (`StreamCursor`): bodies, paths and tags come ready, params objects are built once per user and tag, the answer is checked by status
 * (and the journal seq's presence) and logged raw as the audit's ack. Only the rare steps read answers:
 * replays, double taps and withdrawal checks.
 */
import { check } from 'k6';
import exec from 'k6/execution';
import http, { type Params, type RefinedResponse, type ResponseType } from 'k6/http';
import { answerAckLine, sentAckLine } from '../lib/acks.ts';
import type { Phase } from '../lib/profiles.ts';
import { parseSegment } from '../lib/segments.ts';
import {
  OPS,
  type StreamCursor,
  type StreamItem,
  type StreamLayout,
  type StreamWrite,
  segmentKey,
} from '../lib/streams.ts';
import { giftContextOf } from '../lib/tags.ts';
import { canonicalHeader } from './client.ts';
import { nextKey } from './vu.ts';
import type { Ctx } from './writes.ts';
import { checkReplay, isOk, write } from './writes.ts';

interface Player {
  /** This VU's stream, parsed a chunk at a time as it is played (`lib/streams.ts`). */
  stream: StreamCursor;
  urls: string[];
  /**
   * Per op, user, tag and replay (`paramsKey`), the params of a write (its headers' key and its `phase`
   * tag replaced before each send).
   */
  params: Map<number, Cached>;
  /** The phase now (runtime/phase.ts); undefined for a profile without phases. */
  phase: (() => Phase) | undefined;
  tagCount: number;
  /** Per op: its HTTP method, its check's tags, and its check passed and failed (built once, not per request). */
  methods: string[];
  checkTags: { op: string }[];
  checkPassed: Record<string, boolean>[];
  checkFailed: Record<string, boolean>[];
  ok: number[][];
  /** The profile's statuses that leave a write's outcome unknown (acked as status 0). */
  unknown: number[];
  keyHeader: string;
  seqNeedle: string | undefined;
  /** The answer of the last write sent. */
  last: RefinedResponse<ResponseType | undefined> | undefined;
  /** The statuses of a gift refused for funds (the target profile's), empty when it says none. */
  insufficient: number[];
  /**
   * Viewers of this VU a purchase of which was not accepted: their later gifts may lack the coins the
   * stream counted on, so a refusal of one is not a backend's mistake.
   */
  short: Set<number>;
}

interface Cached {
  params: Params;
  headers: Record<string, string>;
  tags: Record<string, string>;
}

let player: Player | undefined;

function start(ctx: Ctx): Player {
  if (player !== undefined) return player;
  const layout = ctx.w.streams as StreamLayout;
  const segment = parseSegment(exec.test.options.executionSegment);
  const instance = layout.segments.indexOf(segmentKey(segment.from));
  const slots = exec.instance.vusInitialized;
  if (instance < 0 || slots !== layout.slots) {
    throw new Error(
      `giftlab: the streams were built for segments ${layout.segments.join(', ')} with ${layout.slots} VUs each; this instance runs ${exec.test.options.executionSegment ?? 'the whole test'} with ${slots}`,
    );
  }
  const slot = (exec.vu.idInInstance - 1) % slots;
  const streams = ctx.inputs.streams.count();
  if (streams !== layout.segments.length * layout.slots) {
    throw new Error(
      `giftlab: the streams file holds ${streams} streams; the layout says ${layout.segments.length} segments × ${layout.slots} VUs`,
    );
  }
  const ops = ctx.inputs.target.operations;
  const seq = ops.gift.read.seq;
  player = {
    stream: ctx.inputs.streams.cursor(instance * slots + slot),
    urls: layout.paths.map((p) => ctx.inputs.targetUrl + p),
    params: new Map(),
    phase: ctx.client.phase,
    tagCount: layout.tags.length,
    methods: OPS.map((op) => ops[op].method),
    checkTags: OPS.map((op) => ({ op })),
    checkPassed: OPS.map((op) => ({ [`${op} answered as expected`]: true })),
    checkFailed: OPS.map((op) => ({ [`${op} answered as expected`]: false })),
    ok: OPS.map((op) => ops[op].ok),
    unknown: ctx.inputs.target.outcomeUnknown ?? [],
    keyHeader: ctx.inputs.target.idempotency.header,
    // The answer states its journal seq: looked for as text, not parsed (a top-level key only).
    seqNeedle: seq !== undefined && seq.indexOf('.') < 0 ? `"${seq}":` : undefined,
    last: undefined,
    insufficient: ops.gift.insufficient?.status ?? [],
    short: new Set(),
  };
  return player;
}

export function playIteration(ctx: Ctx): void {
  const p = start(ctx);
  const item = p.stream.next();
  if (item === undefined) return;
  if (item.w !== undefined) playWrites(ctx, p, item);
  if (item.d !== undefined) doubleTap(ctx, item);
  if (item.c !== undefined) withdrawalCheck(ctx, item.c);
}

function playWrites(ctx: Ctx, p: Player, item: StreamItem): void {
  const writes = item.w as StreamWrite[];
  const keys: string[] = [];
  let sent = '';
  for (let i = 0; i < writes.length; i++) {
    const key = nextKey(ctx.state);
    keys.push(key);
    sent += (i === 0 ? '' : '\n') + sentAckLine(key, OPS[writes[i][0]]);
  }
  ctx.client.sent(sent);
  let allOk = true;
  for (let i = 0; i < writes.length; i++) {
    const w = writes[i];
    if (send(ctx, p, w, keys[i], false)) continue;
    allOk = false;
    if (w[0] === 0) p.short.add(w[1]);
    else if (
      w[0] === 1 &&
      !p.short.has(w[1]) &&
      p.insufficient.includes((p.last as { status: number }).status)
    )
      ctx.metrics.coveredRefusals.add(1, { op: 'gift' });
  }
  const last = p.last;
  if (allOk && item.p !== undefined) ctx.metrics.coinsPurchased.add(item.p);
  if (allOk && item.g !== undefined) ctx.metrics.coinsGifted.add(item.g);
  if (item.r === 1 && last !== undefined) {
    const w = writes[writes.length - 1];
    const key = keys[keys.length - 1];
    ctx.client.sent(sentAckLine(key, OPS[w[0]]));
    send(ctx, p, w, key, true);
    const again = p.last as RefinedResponse<ResponseType | undefined>;
    const seqOf = (r: RefinedResponse<ResponseType | undefined>) => seqIn(ctx, r);
    checkReplay(ctx, { op: OPS[w[0]], status: last.status, seq: seqOf(last) }, {
      status: again.status,
      seq: seqOf(again),
      replayed: replayedHeader(ctx, again),
    } as Parameters<typeof checkReplay>[2]);
  }
}

/**
 * Sends one write and logs its answer's ack; the answer is left in `p.last`. True when it was answered
 * as expected. On every request: the write's fields read by index (destructuring an array walks its
 * iterator in goja), the answer's status and body read once (each read of a k6 response's field goes
 * through Go reflection), the check's objects built once per VU.
 */
function send(ctx: Ctx, p: Player, w: StreamWrite, key: string, replay: boolean): boolean {
  const op = w[0];
  const cacheKey = paramsKey(p, op, w[1], w[4], replay);
  let cached = p.params.get(cacheKey);
  if (cached === undefined) {
    cached = paramsFor(ctx, op, w[1], w[4], replay);
    p.params.set(cacheKey, cached);
  }
  cached.headers[p.keyHeader] = key;
  if (p.phase !== undefined) cached.tags.phase = p.phase();
  const res = http.request(p.methods[op], p.urls[w[2]], w[3], cached.params);
  p.last = res;
  const status = res.status;
  const body = res.body;
  const text = typeof body === 'string' ? body : '';
  const ok = p.ok[op].includes(status);
  // No answer (a reset, a timeout), or one the profile says leaves it open (a gateway's 504): the write
  // may or may not have happened — the audit's unknown outcome.
  const acked = status !== 0 && p.unknown.length > 0 && p.unknown.includes(status) ? 0 : status;
  if (acked === 0) ctx.metrics.unknownOutcomes.add(1, { op: OPS[op] });
  const statesSeq = !ok || p.seqNeedle === undefined || text.indexOf(p.seqNeedle) > 0;
  const raw = text.charAt(0) === '{' && text.indexOf('\n') < 0 ? text : undefined;
  ctx.client.answered(answerAckLine(key, OPS[op], acked, raw, raw === undefined ? text.slice(0, 200) : null));
  check(
    res,
    (ok && statesSeq ? p.checkPassed[op] : p.checkFailed[op]) as unknown as Record<string, () => boolean>,
    p.checkTags[op],
  );
  return ok;
}

/** One number per op, user, tag and replay: the params cache's key (no string built per request). */
function paramsKey(p: Player, op: number, user: number, tag: number, replay: boolean): number {
  return ((user * p.tagCount + tag) * OPS.length + op) * 2 + (replay ? 1 : 0);
}

function paramsFor(ctx: Ctx, op: number, user: number, tag: number, replay: boolean): Cached {
  const target = ctx.inputs.target;
  const headers: Record<string, string> = {};
  for (const h of Object.keys(target.headers)) headers[h] = target.headers[h];
  const token = op === 2 ? ctx.inputs.creator(user).token : ctx.inputs.viewer(user).token;
  headers[target.auth.header] = target.auth.template.split('{{token}}').join(token);
  if (!Object.keys(target.headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['Content-Type'] = 'application/json';
  }
  const tags: Record<string, string> = {};
  const from = (ctx.w.streams as StreamLayout).tags[tag];
  for (const k of Object.keys(from)) tags[k] = from[k];
  if (replay) tags.replay = 'true';
  return { headers, tags, params: { headers, tags } };
}

function seqIn(ctx: Ctx, res: RefinedResponse<ResponseType | undefined>): number | undefined {
  const path = ctx.inputs.target.operations.gift.read.seq;
  if (path === undefined || typeof res.body !== 'string') return undefined;
  try {
    let v: unknown = JSON.parse(res.body);
    for (const part of path.split('.')) v = (v as Record<string, unknown> | null)?.[part];
    return typeof v === 'number' ? v : undefined;
  } catch (_error) {
    return undefined;
  }
}

function replayedHeader(ctx: Ctx, res: RefinedResponse<ResponseType | undefined>): boolean {
  const name = ctx.inputs.target.idempotency.replayedHeader;
  return name !== undefined && res.headers[canonicalHeader(name)] === 'true';
}

/**
 * The viewer's live balance, then the same gift twice at once, each as many as that balance buys: one
 * must be refused as insufficient (a backend that checks, then spends without checking again, takes both).
 */
function doubleTap(ctx: Ctx, item: StreamItem): void {
  const d = item.d as NonNullable<StreamItem['d']>;
  const { client, inputs, w } = ctx;
  const refusal = inputs.target.operations.gift.insufficient;
  if (!client.has('viewerBalance') || refusal === undefined) return;
  const user = inputs.viewer(d.viewer);
  const coins = client.send(
    client.prepare({ op: 'viewerBalance', token: user.token, vars: { 'viewer.id': user.id } }),
  ).coins;
  const gift = w.gifts[d.gift];
  const count = coins === undefined ? 0 : Math.min(w.giftCountMax, Math.floor(coins / gift.coins));
  if (count < 1) return;
  const creator = inputs.creator(d.creator);
  const context = giftContextOf(d.live, creator.id);
  const vars = {
    'viewer.id': user.id,
    'creator.id': creator.id,
    gift: gift.id,
    count,
    'context.kind': context.kind,
    'context.id': context.id,
  };
  const tap = () =>
    client.prepare({
      op: 'gift',
      token: user.token,
      vars,
      key: nextKey(ctx.state),
      tags: { context: vars['context.kind'], tap: 'double' },
      alsoAccept: refusal.status,
    });
  const [a, b] = client.sendBatch([tap(), tap()]);
  const ok = (s: number) => isOk(ctx, 'gift', s);
  client.expect('gift', 'a double tap is taken once and refused once', ok(a.status) !== ok(b.status));
  if (ok(a.status) || ok(b.status)) ctx.metrics.coinsGifted.add(count * gift.coins);
}

/** An owned creator whose expected earnings passed the threshold: read its diamonds, cash them out. */
function withdrawalCheck(ctx: Ctx, creatorIndex: number): void {
  const { client, inputs } = ctx;
  if (!client.has('creatorBalance')) return;
  const user = inputs.creator(creatorIndex);
  const diamonds = client.send(
    client.prepare({ op: 'creatorBalance', token: user.token, vars: { 'creator.id': user.id } }),
  ).diamonds;
  if (diamonds === undefined || diamonds < (ctx.w.streams as StreamLayout).withdrawAtDiamonds) return;
  write(ctx, { op: 'withdrawal', token: user.token, vars: { 'creator.id': user.id, diamonds }, tags: {} });
}
