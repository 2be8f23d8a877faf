/**
 * The two probing profiles. `smoke` walks every endpoint once per iteration with answers it can
 * predict (including a refused overdraft, a replay and a withdrawal under the minimum); `race` puts
 * every VU of an instance on the same few balances, each iteration a concurrent batch of purchases,
 * gifts that together overspend, a withdrawal, an in-batch duplicate and a replay of an earlier key —
 * the load that exposes lost updates, overdrafts and broken idempotency to the audit.
 */

import { raceSizes } from '../lib/race.ts';
import { giftContextOf } from '../lib/tags.ts';
import type { Answer } from './client.ts';
import type { User } from './inputs.ts';
import { nextKey, remember, type Sent } from './vu.ts';
import { buyPack, type Ctx, checkReplay, isOk, knownCoins, replay, sendGift, write } from './writes.ts';

const READS = ['health', 'economy', 'openapi'] as const;

export function smokeRound(ctx: Ctx): void {
  const { client, state, w } = ctx;
  for (const op of READS) if (client.has(op)) client.send(client.prepare({ op, vars: {} }));
  const viewer = state.viewers[0];
  if (!client.expect('read', 'this VU owns a viewer (more users than VUs)', viewer !== undefined)) return;
  const creator = state.creators[0] ?? 0;
  knownCoins(ctx, viewer);
  for (let ch = 0; ch < w.channels.length; ch++) buyPack(ctx, viewer, ch, 0);
  const cheapest = w.gifts[0];
  sendGift(ctx, { viewer, creator, gift: cheapest, count: 1, live: true });
  const gift = state.recent[state.recent.length - 1];
  sendGift(ctx, { viewer, creator, gift: cheapest, count: 1, live: false });
  if (isOk(ctx, 'gift', gift.status)) replay(ctx, gift);
  overdraftProbe(ctx, viewer, creator);
  if (state.creators.length > 0) withdrawalProbe(ctx, viewer, state.creators[0]);
  if (client.has('journal')) {
    client.send(
      client.prepare({ op: 'journal', token: ctx.inputs.adminToken, vars: { after: 0, limit: 10 } }),
    );
  }
  const stated = client.has('viewerBalance') ? readCoins(ctx, viewer) : undefined;
  if (stated !== undefined) {
    client.expect(
      'read',
      'viewer balance equals the coins the writes stated',
      stated === state.coins[viewer],
    );
  }
}

/** The dearest gift, enough of them to cost more than the viewer holds: must be refused. */
function overdraftProbe(ctx: Ctx, viewer: number, creator: number): void {
  const coins = ctx.state.coins[viewer];
  const refusal = ctx.inputs.target.operations.gift.insufficient;
  if (coins === undefined || refusal === undefined) return;
  const dear = ctx.w.gifts[ctx.w.gifts.length - 1];
  const count = Math.floor(coins / dear.coins) + 1;
  if (count > ctx.w.giftCountMax) return;
  const answer = sendGift(ctx, {
    viewer,
    creator,
    gift: dear,
    count,
    live: true,
    alsoAccept: refusal.status,
  });
  ctx.client.expect('gift', 'an overdraft is refused as insufficient', answer.insufficient);
}

/** Gifts the VU's creator up to the minimum, withdraws it, then asks for less than the minimum. */
function withdrawalProbe(ctx: Ctx, viewer: number, creator: number): void {
  const { client, w, inputs } = ctx;
  if (!client.has('creatorBalance')) return;
  const user = inputs.creator(creator);
  let diamonds = readDiamonds(ctx, creator);
  if (diamonds === undefined) return;
  const short = w.withdrawal.minDiamonds - diamonds;
  if (short > 0) {
    const cheapest = w.gifts[0];
    const count = Math.ceil((short * w.withdrawal.coinsPerDiamond + 2) / cheapest.coins);
    if (count > w.giftCountMax) return;
    const coins = knownCoins(ctx, viewer) ?? 0;
    const need = count * cheapest.coins - coins;
    for (let bought = 0; bought < need; ) {
      const before = ctx.state.coins[viewer] ?? 0;
      const after = buyPack(ctx, viewer, 0, w.channels[0].packs.length - 1);
      if (after === undefined) return;
      bought += after - before;
    }
    sendGift(ctx, { viewer, creator, gift: cheapest, count, live: true });
    diamonds = readDiamonds(ctx, creator);
  }
  const minimum = Math.max(1, w.withdrawal.minDiamonds);
  if (diamonds === undefined || diamonds < minimum) return;
  write(ctx, {
    op: 'withdrawal',
    token: user.token,
    vars: { 'creator.id': user.id, diamonds: minimum },
    tags: {},
  });
  const below = inputs.target.operations.withdrawal.belowMinimum;
  if (below !== undefined && minimum > 1) {
    const answer = write(ctx, {
      op: 'withdrawal',
      token: user.token,
      vars: { 'creator.id': user.id, diamonds: minimum - 1 },
      tags: {},
      alsoAccept: below.status,
    });
    client.expect(
      'withdrawal',
      'a withdrawal under the minimum is refused',
      below.status.includes(answer.status),
    );
  }
}

function readCoins(ctx: Ctx, viewer: number): number | undefined {
  const user = ctx.inputs.viewer(viewer);
  return ctx.client.send(
    ctx.client.prepare({ op: 'viewerBalance', token: user.token, vars: { 'viewer.id': user.id } }),
  ).coins;
}

function readDiamonds(ctx: Ctx, creator: number): number | undefined {
  const user = ctx.inputs.creator(creator);
  return ctx.client.send(
    ctx.client.prepare({ op: 'creatorBalance', token: user.token, vars: { 'creator.id': user.id } }),
  ).diamonds;
}

export function raceRound(ctx: Ctx): void {
  const { state, w, inputs, client } = ctx;
  if (state.hotViewers.length === 0 || state.hotCreators.length === 0) return;
  const viewer = inputs.viewer(state.hotViewers[Math.floor(Math.random() * state.hotViewers.length)]);
  const creator = inputs.creator(state.hotCreators[Math.floor(Math.random() * state.hotCreators.length)]);
  const channel = w.channels[0];
  const live = liveBalances(ctx, viewer, creator);
  const sizes = raceSizes(w, live.coins, live.diamonds);
  const gift = w.gifts[sizes.gift];
  const giftRefusal = inputs.target.operations.gift.insufficient?.status ?? [];
  const withdrawal = inputs.target.operations.withdrawal;
  const calls: Sent[] = [];
  const add = (op: Sent['op'], token: string, vars: Sent['vars'], tags: Sent['tags']) =>
    calls.push({ op, key: nextKey(state), token, vars, tags, status: 0, seq: undefined });
  add(
    'purchase',
    viewer.token,
    { 'viewer.id': viewer.id, channel: channel.id, pack: channel.packs[0].id },
    { channel: channel.id },
  );
  add(
    'purchase',
    viewer.token,
    { 'viewer.id': viewer.id, channel: channel.id, pack: channel.packs[0].id },
    { channel: channel.id },
  );
  for (let i = 0; i < 3; i++) {
    add('gift', viewer.token, giftVars(viewer.id, creator.id, gift.id, sizes.count), { context: 'stream' });
  }
  add('withdrawal', creator.token, { 'creator.id': creator.id, diamonds: sizes.withdrawDiamonds }, {});
  const accept: Record<Sent['op'], number[]> = {
    purchase: [],
    gift: giftRefusal,
    withdrawal: (withdrawal.insufficient?.status ?? []).concat(withdrawal.belowMinimum?.status ?? []),
  };
  const earlier =
    state.recent.length > 0 ? state.recent[Math.floor(Math.random() * state.recent.length)] : undefined;
  const batch = calls.concat([calls[2]], earlier === undefined ? [] : [earlier]);
  const answers = client.sendBatch(
    batch.map((s, i) =>
      client.prepare({
        op: s.op,
        token: s.token,
        vars: s.vars,
        key: s.key,
        tags: i >= calls.length ? { ...s.tags, replay: 'true' } : s.tags,
        alsoAccept: i === calls.length + 1 ? [s.status] : accept[s.op],
      }),
    ),
  );
  calls.forEach((s, i) => {
    settle(ctx, s, answers[i], gift.coins * sizes.count, channel.packs[0].coins);
  });
  sameEffect(ctx, answers[2], answers[calls.length]);
  if (earlier !== undefined) checkReplay(ctx, earlier, answers[calls.length + 1]);
}

/**
 * The hot viewer's coins and creator's diamonds as the target states them now (read together), or 0
 * where the profile cannot read them: the race is then sized as on a fresh server.
 */
function liveBalances(ctx: Ctx, viewer: User, creator: User): { coins: number; diamonds: number } {
  const { client } = ctx;
  const reads = [];
  if (client.has('viewerBalance'))
    reads.push(
      client.prepare({ op: 'viewerBalance', token: viewer.token, vars: { 'viewer.id': viewer.id } }),
    );
  if (client.has('creatorBalance'))
    reads.push(
      client.prepare({ op: 'creatorBalance', token: creator.token, vars: { 'creator.id': creator.id } }),
    );
  const answers = reads.length === 0 ? [] : client.sendBatch(reads);
  let coins = 0;
  let diamonds = 0;
  for (const a of answers) {
    if (a.coins !== undefined) coins = a.coins;
    if (a.diamonds !== undefined) diamonds = a.diamonds;
  }
  return { coins, diamonds };
}

function giftVars(viewerId: number, creatorId: number, giftId: string, count: number): Sent['vars'] {
  const context = giftContextOf(true, creatorId);
  return {
    'viewer.id': viewerId,
    'creator.id': creatorId,
    gift: giftId,
    count,
    'context.kind': context.kind,
    'context.id': context.id,
  };
}

function settle(ctx: Ctx, sent: Sent, answer: Answer, giftCoins: number, packCoins: number): void {
  sent.status = answer.status;
  sent.seq = answer.seq;
  remember(ctx.state, sent);
  if (!isOk(ctx, sent.op, answer.status)) return;
  if (sent.op === 'purchase')
    ctx.metrics.coinsPurchased.add(packCoins, { channel: String(sent.vars.channel) });
  if (sent.op === 'gift') ctx.metrics.coinsGifted.add(giftCoins, { context: 'stream' });
}

/** Two concurrent requests with one key: one effect, the same answer. */
function sameEffect(ctx: Ctx, a: Answer, b: Answer): void {
  ctx.metrics.idempotentReplays.add(1, { op: 'gift' });
  const header = ctx.inputs.target.idempotency.replayedHeader === undefined || a.replayed !== b.replayed;
  ctx.client.expect(
    'gift',
    'concurrent duplicates resolve to one effect',
    a.status === b.status && a.seq === b.seq && header,
  );
}
