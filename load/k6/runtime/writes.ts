/**
 * Writes as the flows use them: a fresh idempotency key, the answer folded into what the VU knows
 * (coins after a purchase or gift), the coin metrics, and — for a share of them — the same request sent
 * again with the same key and body, which must come back with the first answer.
 */
import { giftContextOf } from '../lib/tags.ts';
import type { Vars } from '../lib/template.ts';
import type { Workload } from '../lib/types.ts';
import type { Answer, Client, Metrics } from './client.ts';
import type { Inputs } from './inputs.ts';
import { nextKey, remember, type Sent, type Vu } from './vu.ts';

export interface Ctx {
  inputs: Inputs;
  w: Workload;
  client: Client;
  metrics: Metrics;
  state: Vu;
}

export interface WriteCall {
  op: 'purchase' | 'gift' | 'withdrawal';
  token: string;
  vars: Vars;
  tags: Record<string, string>;
  alsoAccept?: number[];
}

export function write(ctx: Ctx, call: WriteCall): Answer {
  const key = nextKey(ctx.state);
  const replayIt = Math.random() < ctx.w.replayShare;
  const answer = ctx.client.send(
    ctx.client.prepare({
      op: call.op,
      token: call.token,
      vars: call.vars,
      tags: call.tags,
      alsoAccept: call.alsoAccept,
      key,
    }),
  );
  const sent: Sent = {
    op: call.op,
    key,
    token: call.token,
    vars: call.vars,
    tags: call.tags,
    status: answer.status,
    seq: answer.seq,
  };
  remember(ctx.state, sent);
  if (replayIt && isOk(ctx, call.op, answer.status)) replay(ctx, sent);
  return answer;
}

/** Sends `sent` again with its key and body; checks the answer is the first one. */
export function replay(ctx: Ctx, sent: Sent): Answer {
  const again = ctx.client.send(
    ctx.client.prepare({
      op: sent.op,
      token: sent.token,
      vars: sent.vars,
      tags: { ...sent.tags, replay: 'true' },
      key: sent.key,
      alsoAccept: [sent.status],
    }),
  );
  checkReplay(ctx, sent, again);
  return again;
}

export function checkReplay(
  ctx: Ctx,
  first: { op: Sent['op']; status: number; seq: number | undefined },
  again: Answer,
): void {
  ctx.metrics.idempotentReplays.add(1, { op: first.op });
  const header = ctx.inputs.target.idempotency.replayedHeader === undefined || again.replayed;
  ctx.client.expect(
    first.op,
    `${first.op} replay returns the first answer`,
    again.status === first.status && again.seq === first.seq && header,
  );
}

export function isOk(ctx: Ctx, op: string, status: number): boolean {
  const spec = ctx.inputs.target.operations[op as 'purchase'];
  return spec?.ok.includes(status);
}

/** Coins of an owned viewer: known, or read from the target (0 when the profile has no balance read). */
export function knownCoins(ctx: Ctx, viewer: number): number | undefined {
  const known = ctx.state.coins[viewer];
  if (known !== undefined) return known;
  if (!ctx.client.has('viewerBalance')) {
    ctx.state.coins[viewer] = 0;
    return 0;
  }
  const user = ctx.inputs.viewer(viewer);
  const answer = ctx.client.send(
    ctx.client.prepare({ op: 'viewerBalance', token: user.token, vars: { 'viewer.id': user.id } }),
  );
  ctx.state.coins[viewer] = answer.coins;
  return answer.coins;
}

/** Buys one pack; returns the viewer's coins after it, or undefined when the outcome is not known. */
export function buyPack(ctx: Ctx, viewer: number, channel: number, position: number): number | undefined {
  const user = ctx.inputs.viewer(viewer);
  const ch = ctx.w.channels[channel];
  const pack = ch.packs[position];
  const before = ctx.state.coins[viewer];
  const answer = write(ctx, {
    op: 'purchase',
    token: user.token,
    vars: { 'viewer.id': user.id, channel: ch.id, pack: pack.id },
    tags: { channel: ch.id },
  });
  if (!isOk(ctx, 'purchase', answer.status)) {
    ctx.state.coins[viewer] = undefined;
    return undefined;
  }
  ctx.metrics.coinsPurchased.add(pack.coins, { channel: ch.id });
  const after = answer.coins ?? (before === undefined ? undefined : before + pack.coins);
  ctx.state.coins[viewer] = after;
  return after;
}

export interface GiftCall {
  viewer: number;
  creator: number;
  gift: { id: string; coins: number };
  count: number;
  live: boolean;
  alsoAccept?: number[];
}

/** Sends a gift; keeps the viewer's coins known when the answer states them. */
export function sendGift(ctx: Ctx, g: GiftCall): Answer {
  const user = ctx.inputs.viewer(g.viewer);
  const creator = ctx.inputs.creator(g.creator);
  const before = ctx.state.coins[g.viewer];
  const context = giftContextOf(g.live, creator.id);
  const answer = write(ctx, {
    op: 'gift',
    token: user.token,
    vars: {
      'viewer.id': user.id,
      'creator.id': creator.id,
      gift: g.gift.id,
      count: g.count,
      'context.kind': context.kind,
      'context.id': context.id,
    },
    tags: { context: context.kind },
    alsoAccept: g.alsoAccept,
  });
  const cost = g.gift.coins * g.count;
  if (isOk(ctx, 'gift', answer.status)) {
    ctx.metrics.coinsGifted.add(cost, { context: context.kind });
    ctx.state.coins[g.viewer] = answer.coins ?? (before === undefined ? undefined : before - cost);
  } else if (!answer.insufficient) {
    ctx.state.coins[g.viewer] = undefined;
  }
  return answer;
}
