/**
 * The economy as the plan describes it (steady, spike, soak): each iteration is one arrival — a gift
 * intent, or now and then a withdrawal intent — and does what the model's viewer or creator does:
 *
 * - gift: a payer of a spender class (heavy spenders are few and send a large share), a gift from that
 *   class's mix; when its coins fall short it first buys packs on its channel by the model's rule
 *   (smallest pack covering the shortfall, else the largest, again); then sends the gift to a creator
 *   drawn by the plan's gift share per creator rank (hot streams first), live or on a video;
 * - withdrawal: an owned creator, drawn by the plan's gift share of its rank (who earns most checks
 *   most often), reads its diamonds and cashes them out once past the scenario's `withdrawAtDiamonds`.
 */
import { packsFor, pickCreatorRank, pickCum } from '../lib/pick.ts';
import { channelOf } from './vu.ts';
import { buyPack, type Ctx, knownCoins, sendGift, write } from './writes.ts';

export function economyIteration(ctx: Ctx): void {
  if (Math.random() < ctx.w.rate.withdrawalShare) withdrawIntent(ctx);
  else giftIntent(ctx);
}

export function giftIntent(ctx: Ctx): void {
  const { w, state } = ctx;
  const cls = pickCum(intentCum(w), Math.random());
  const group = state.groups[cls].length > 0 ? state.groups[cls] : state.viewers;
  if (group.length === 0) return;
  const viewer = group[Math.floor(Math.random() * group.length)];
  const g = pickCum(w.classes[cls].giftCum, Math.random());
  const gift = w.gifts[g];
  const count = Math.min(w.giftCountMax, roundRandomly(w.classes[cls].countMean[g] ?? 1));
  const cost = gift.coins * count;
  let coins = knownCoins(ctx, viewer);
  if (coins !== undefined && coins < cost) coins = buyFor(ctx, viewer, cls, cost - coins);
  if (coins === undefined || coins < cost) return;
  const creatorPool = Math.min(w.pools.creators, ctx.inputs.creatorCount);
  const rank = pickCreatorRank(w.creators, Math.random(), Math.random());
  const live = Math.random() < w.streamShare;
  sendGift(ctx, { viewer, creator: rank % creatorPool, gift, count, live, skim: true });
}

let intents: number[] | undefined;

/** The classes' cumulative intent shares, computed once per VU. */
function intentCum(w: Ctx['w']): number[] {
  if (intents === undefined) intents = w.classes.map((c) => c.intentCum);
  return intents;
}

/** ⌊mean⌋ or ⌈mean⌉, so that the counts sent average the plan's mean. */
function roundRandomly(mean: number): number {
  const whole = Math.floor(mean);
  return Math.max(1, whole + (Math.random() < mean - whole ? 1 : 0));
}

/** Buys towards `needCoins`; returns the coins after, or undefined when an outcome is unknown. */
function buyFor(ctx: Ctx, viewer: number, cls: number, needCoins: number): number | undefined {
  const channel = channelOf(ctx.w, cls, viewer);
  const shelf = ctx.w.channels[channel].packs.map((p) => p.coins);
  let coins: number | undefined = ctx.state.coins[viewer];
  for (const position of packsFor(shelf, needCoins, ctx.w.packsPerGiftMax)) {
    coins = buyPack(ctx, viewer, channel, position, true);
    if (coins === undefined) return undefined;
  }
  return coins;
}

export function withdrawIntent(ctx: Ctx): void {
  const { w, state, inputs, client } = ctx;
  if (state.creators.length === 0 || !client.has('creatorBalance')) return;
  const earned = state.creatorCum[state.creatorCum.length - 1] > 0;
  const pick = earned
    ? pickCum(state.creatorCum, Math.random())
    : Math.floor(Math.random() * state.creators.length);
  const creator = state.creators[pick];
  const user = inputs.creator(creator);
  const balance = client.send(
    client.prepare({ op: 'creatorBalance', token: user.token, vars: { 'creator.id': user.id } }),
  );
  const diamonds = balance.diamonds;
  if (diamonds === undefined || diamonds < Math.max(w.withdrawal.minDiamonds, w.withdrawal.atDiamonds))
    return;
  write(ctx, {
    op: 'withdrawal',
    token: user.token,
    vars: { 'creator.id': user.id, diamonds },
    tags: {},
  });
}
