/**
 * The economy profiles' request streams, computed here before the run so that the k6 script only sends
 * and records (the draws, the pack purchases and the bodies of every request are decided ahead; see
 * `load/k6/lib/streams.ts` for the format). Deterministic: the workload's seed, the segment and the VU
 * slot seed each stream — two random streams, one for the arrivals and one for the packs, so that how
 * packs are chosen never moves the gifts, viewers and creators drawn.
 *
 * Packs: a viewer short of a gift's coins buys packs on its channel drawn by the plan's observed mix of
 * that channel until the gift is covered (`packsDrawn`), so the purchases a run sends follow the plan's
 * pack mix whatever rule the model chose them by.
 *
 * Each VU owns a stripe of the viewers and creators of its instance's segment (`lib/segments.ts`), as the
 * script did when it drew at run time, so a stream keeps its viewers' coins by arithmetic: every viewer
 * starts at 0 here, and its live balance is never below that (leftovers of earlier runs only add), so a
 * stream played again from its start — when the run outlasts it — stays covered.
 *
 * Withdrawals: each owned creator is checked when its expected earnings cross the threshold — the plan's
 * gift share of the creator × the mean coins of a gift request × diamonds per coin (rounded down) — so
 * every profile that runs long enough to earn one sends it, at any rate or duration.
 */
import seedrandom from 'seedrandom';
import { InputError } from '../../common/input-error.ts';
import { loadLimits } from '../../common/limits.ts';
import { classGroups, packsDrawn, pickCreatorRank, pickCum, unitHash } from '../k6/lib/pick.ts';
import { parseFraction, type Segment, segmentRange, stripe } from '../k6/lib/segments.ts';
import {
  type DoubleTap,
  itemRequests,
  type StreamItem,
  type StreamLayout,
  type StreamWrite,
  segmentKey,
  type VuStream,
} from '../k6/lib/streams.ts';
import { type GiftContextTag, giftContextOf, operationName, requestTags } from '../k6/lib/tags.ts';
import { compileBody, compileString, type Vars } from '../k6/lib/template.ts';
import type { TargetProfile, Workload } from '../k6/lib/types.ts';
import type { Plan } from './types.ts';
import { type RunSettings, toWorkload } from './workload.ts';

export interface StreamUsers {
  viewers: readonly { id: number }[];
  creators: readonly { id: number }[];
}

export interface BuiltStreams {
  layout: StreamLayout;
  /** Instance by instance, slot by slot (the layout's order). */
  streams: VuStream[];
}

/** Checks come a tenth later than the expected crossing: the estimate is a mean. */
const CHECK_LAG = 1.1;
/** Streams are this much longer than a VU's share of the arrivals (k6 hands arrivals to idle VUs). */
const LENGTH_SLACK = 1.25;
/**
 * Each VU's first double tap (a balance read and two gifts at once) comes on its first gift from item
 * `slot mod TAP_STAGGER` on, not on every VU's first item: k6's arrival-rate executors give every VU
 * its first arrival at the start of the run, all at once, and a tap costs k6 about twice a gift.
 */
const TAP_STAGGER = 8;

/** The k6-operator's segments for `parallelism` runners: i/n:(i+1)/n. */
export function operatorSegments(parallelism: number): Segment[] {
  return Array.from({ length: parallelism }, (_, i) => ({
    from: parseFraction(`${i}/${parallelism}`),
    to: parseFraction(`${i + 1}/${parallelism}`),
  }));
}

/** How often item i of a stream of n items is played in `plays` arrivals (played in order, round again). */
function timesPlayed(i: number, plays: number, n: number): number {
  return Math.floor(plays / n) + (i < plays % n ? 1 : 0);
}

/**
 * The workload and its streams, VUs sized by what the streams send: the plan's requests per arrival
 * know nothing of the purchases a fresh target's empty wallets need (the streams' are about a third
 * more on the baseline), so when the streams send more than the plan said and VUs were sized (not
 * given), the workload is sized again by the streams' figure and the streams built again for its VUs.
 */
export function sizedWithStreams(
  plan: Plan,
  settings: RunSettings,
  target: TargetProfile,
  users: StreamUsers,
  parallelism = 1,
): { workload: Workload; built: BuiltStreams } {
  const first = toWorkload(plan, settings);
  const built = buildStreams(first, target, users, parallelism);
  const measured = first.asked.arrivals > 0 ? built.layout.askedRequests / first.asked.arrivals : 0;
  if (settings.vus !== undefined || measured <= first.asked.requestsPerArrival)
    return { workload: first, built };
  const workload = toWorkload(plan, { ...settings, requestsPerArrival: measured });
  if (workload.vus === first.vus) return { workload, built };
  return { workload, built: buildStreams(workload, target, users, parallelism) };
}

export function buildStreams(
  w: Workload,
  target: TargetProfile,
  users: StreamUsers,
  parallelism = 1,
  itemsMax: number = parallelism > 1 ? loadLimits.k8sStreamItemsMax : loadLimits.streamItemsMax,
): BuiltStreams {
  if (w.vus % parallelism !== 0) {
    throw new InputError({
      field: '--vus',
      expected: `a multiple of --parallelism ${parallelism} (each runner plays its own VUs' streams)`,
      found: String(w.vus),
    });
  }
  const slots = w.vus / parallelism;
  const perSlot = Math.max(
    1,
    Math.min(Math.ceil((w.asked.arrivals / w.vus) * LENGTH_SLACK) + 8, Math.floor(itemsMax / w.vus)),
  );
  const ctx = new StreamContext(w, target, users);
  const streams: VuStream[] = [];
  const segments = operatorSegments(parallelism);
  for (const segment of segments) {
    for (let slot = 0; slot < slots; slot++)
      streams.push(ctx.stream(segment, slot, slots, parallelism, perSlot));
  }
  let checks = 0;
  let doubleTaps = 0;
  let items = 0;
  let askedRequests = 0;
  const asked = Math.max(0, Math.round(w.asked.arrivals));
  streams.forEach((s, v) => {
    items += s.items.length;
    // VU v plays its stream's first `plays` items (from the start again if the run outlasts it).
    const plays = Math.floor(asked / streams.length) + (v < asked % streams.length ? 1 : 0);
    s.items.forEach((item, i) => {
      if (item.c !== undefined) checks++;
      if (item.d !== undefined) doubleTaps++;
      askedRequests += itemRequests(item) * timesPlayed(i, plays, s.items.length);
    });
  });
  return {
    streams,
    layout: {
      segments: segments.map((s) => segmentKey(s.from)),
      slots,
      paths: ctx.paths,
      tags: ctx.tags,
      withdrawAtDiamonds: ctx.threshold,
      items,
      checks,
      doubleTaps,
      askedRequests,
    },
  };
}

/** What every stream of a run shares: compiled templates, the path and tag tables, creators' earnings. */
class StreamContext {
  readonly paths: string[] = [];
  readonly tags: Record<string, string>[] = [];
  readonly threshold: number;
  private readonly pathIndex = new Map<string, number>();
  private readonly tagIndex = new Map<string, number>();
  private readonly body: { purchase: (v: Vars) => unknown; gift: (v: Vars) => unknown };
  private readonly path: { purchase: (v: Vars) => string; gift: (v: Vars) => string };
  private readonly names: { purchase: string; gift: string };
  private readonly viewerPool: number;
  private readonly creatorPool: number;
  /** Expected diamonds a creator (by index) earns per arrival of the whole run, rounded down. */
  private readonly earning: number[];
  private readonly intents: number[];
  /** Per channel: cumulative pack shares over its shelf. */
  private readonly packCum: number[][];

  constructor(
    private readonly w: Workload,
    target: TargetProfile,
    private readonly users: StreamUsers,
  ) {
    const ops = target.operations;
    this.body = { purchase: compileBody(ops.purchase.body), gift: compileBody(ops.gift.body) };
    this.path = {
      purchase: compileString(ops.purchase.path, true),
      gift: compileString(ops.gift.path, true),
    };
    this.names = { purchase: operationName(ops.purchase), gift: operationName(ops.gift) };
    this.viewerPool = Math.min(w.pools.viewers, users.viewers.length);
    this.creatorPool = Math.min(w.pools.creators, users.creators.length);
    this.threshold = Math.max(1, w.withdrawal.minDiamonds, w.withdrawal.atDiamonds);
    this.intents = w.classes.map((c) => c.intentCum);
    this.packCum = w.channels.map((ch) => cumulativeOf(ch.packs.map((p) => p.share)));
    this.earning = creatorEarnings(w, this.creatorPool);
  }

  stream(segment: Segment, slot: number, slots: number, parallelism: number, length: number): VuStream {
    const w = this.w;
    const v = segmentRange(segment, this.viewerPool);
    const c = segmentRange(segment, this.creatorPool);
    const viewers = stripe(v.lo, v.hi, slot, slots);
    const creators = stripe(c.lo, c.hi, slot, slots);
    const groups = classGroups(
      viewers,
      w.classes.map((k) => k.payerShare),
    );
    const key = `${w.seed}:${w.profile}:${segmentKey(segment.from)}:${slot}`;
    const rng = seedrandom.xor4096(`giftlab-stream:${key}`);
    const packRng = seedrandom.xor4096(`giftlab-packs:${key}`);
    const checks = this.checkSchedule(creators, slots * parallelism, length);
    const coins = new Map<number, number>();
    const items: StreamItem[] = [];
    const tapFrom = Math.min(slot % TAP_STAGGER, length - 1);
    let tapped = false;
    for (let n = 0; n < length; n++) {
      const creator = checks.get(n);
      if (creator !== undefined) items.push({ c: creator });
      else {
        const item = this.giftArrival(rng, packRng, viewers, groups, coins, !tapped && n >= tapFrom);
        tapped ||= item.d !== undefined;
        items.push(item);
      }
    }
    return { items };
  }

  /** Item index → owned creator to check: at each expected crossing of the threshold. */
  private checkSchedule(creators: number[], vusInRun: number, length: number): Map<number, number> {
    const at = new Map<number, number>();
    for (const creator of creators) {
      const perArrival = this.earning[creator];
      if (!(perArrival > 0)) continue;
      for (let k = 1; ; k++) {
        let n = Math.ceil(((k * this.threshold) / perArrival / vusInRun) * CHECK_LAG);
        if (n >= length) break;
        while (at.has(n) && n < length) n++;
        if (n < length) at.set(n, creator);
      }
    }
    return at;
  }

  /** A gift intent as the model's viewer makes it (see load/k6/README.md), or a double tap: a VU's first gift from a staggered item on (`TAP_STAGGER`), then at the profile's share. */
  private giftArrival(
    rng: () => number,
    /** The packs' own draws (`packsDrawn`). */
    packRng: () => number,
    viewers: number[],
    groups: number[][],
    coins: Map<number, number>,
    /** No double tap yet in this stream, past its staggered start: this gift is one (every run that gifts provokes an overdraft). */
    firstTap: boolean,
  ): StreamItem {
    const w = this.w;
    if (viewers.length === 0) return {};
    const cls = pickCum(this.intents, rng());
    const group = groups[cls].length > 0 ? groups[cls] : viewers;
    const viewer = group[Math.floor(rng() * group.length)];
    const g = pickCum(w.classes[cls].giftCum, rng());
    const gift = w.gifts[g];
    const count = Math.min(w.giftCountMax, roundRandomly(w.classes[cls].countMean[g] ?? 1, rng()));
    const cost = gift.coins * count;
    const rank = pickCreatorRank(w.creators, rng(), rng());
    const creator = rank % this.creatorPool;
    const live = rng() < w.streamShare;
    const tap = rng() < w.doubleTapShare || (firstTap && w.doubleTapShare > 0);
    const replay = rng() < w.replayShare;
    const item: StreamItem = {};
    const writes: StreamWrite[] = [];
    let have = coins.get(viewer) ?? 0;
    if (have < cost) {
      const channel = pickCum(w.classes[cls].channelCum, unitHash(viewer));
      const shelf = w.channels[channel].packs;
      let bought = 0;
      for (const position of packsDrawn(
        shelf.map((p) => p.coins),
        this.packCum[channel],
        cost - have,
        w.packsPerGiftMax,
        packRng,
      )) {
        writes.push(this.purchase(viewer, w.channels[channel].id, shelf[position].id));
        bought += shelf[position].coins;
      }
      have += bought;
      item.p = bought;
    }
    if (have >= cost && tap) {
      // Both taps spend the live balance whole; afterwards the viewer may hold less than we know of.
      item.d = { viewer, creator, gift: g, live } satisfies DoubleTap;
      have = 0;
    } else if (have >= cost) {
      writes.push(this.gift(viewer, creator, gift.id, count, live));
      have -= cost;
      item.g = cost;
    }
    coins.set(viewer, have);
    if (writes.length > 0) item.w = writes;
    if (replay && writes.length > 0) item.r = 1;
    return item;
  }

  private purchase(viewer: number, channel: string, pack: string): StreamWrite {
    const vars = { 'viewer.id': this.users.viewers[viewer].id, channel, pack };
    return [
      0,
      viewer,
      this.pathOf(this.path.purchase(vars)),
      JSON.stringify(this.body.purchase(vars)),
      this.tagOf(requestTags({ op: 'purchase', name: this.names.purchase, channel })),
    ];
  }

  private gift(viewer: number, creator: number, gift: string, count: number, live: boolean): StreamWrite {
    const c = this.users.creators[creator].id;
    const context = giftContextOf(live, c);
    const kind: GiftContextTag = context.kind;
    const vars = {
      'viewer.id': this.users.viewers[viewer].id,
      'creator.id': c,
      gift,
      count,
      'context.kind': kind,
      'context.id': context.id,
    };
    return [
      1,
      viewer,
      this.pathOf(this.path.gift(vars)),
      JSON.stringify(this.body.gift(vars)),
      this.tagOf(requestTags({ op: 'gift', name: this.names.gift, context: kind })),
    ];
  }

  private pathOf(path: string): number {
    let i = this.pathIndex.get(path);
    if (i === undefined) {
      i = this.paths.push(path) - 1;
      this.pathIndex.set(path, i);
    }
    return i;
  }

  private tagOf(tags: Record<string, string>): number {
    const key = JSON.stringify(tags);
    let i = this.tagIndex.get(key);
    if (i === undefined) {
      i = this.tags.push(tags) - 1;
      this.tagIndex.set(key, i);
    }
    return i;
  }
}

/** Cumulative sums (all 0 stays all 0: `packsDrawn` then falls back on the covering rule). */
function cumulativeOf(weights: readonly number[]): number[] {
  let cum = 0;
  return weights.map((x) => {
    cum += x;
    return cum;
  });
}

/** ⌊mean⌋ or ⌈mean⌉, so that the counts sent average the plan's mean. */
function roundRandomly(mean: number, u: number): number {
  const whole = Math.floor(mean);
  return Math.max(1, whole + (u < mean - whole ? 1 : 0));
}

/**
 * Diamonds a creator (by index, ranks folded onto the users there are) is expected to earn per arrival:
 * its share of gift requests × the mean coins of a request × diamonds per coin, rounded down (the plan
 * gives coins per diamond rounded up), so that checks come no sooner than the diamonds.
 */
export function creatorEarnings(w: Workload, creatorPool: number): number[] {
  const share = new Array<number>(creatorPool).fill(0);
  let previous = 0;
  for (const b of w.creators) {
    const each = (b.cum - previous) / (b.toRank - b.fromRank);
    for (let rank = b.fromRank; rank < b.toRank; rank++) share[rank % creatorPool] += each;
    previous = b.cum;
  }
  const total = previous > 0 ? previous : 1;
  let coinsPerRequest = 0;
  let intentBefore = 0;
  for (const k of w.classes) {
    const classShare = k.intentCum - intentBefore;
    intentBefore = k.intentCum;
    let giftBefore = 0;
    const giftTotal = k.giftCum[k.giftCum.length - 1] || 1;
    k.giftCum.forEach((cum, g) => {
      coinsPerRequest +=
        classShare * ((cum - giftBefore) / giftTotal) * w.gifts[g].coins * (k.countMean[g] ?? 1);
      giftBefore = cum;
    });
  }
  const diamondsPerCoin = 1 / w.withdrawal.coinsPerDiamond;
  return share.map((s) => (s / total) * coinsPerRequest * diamondsPerCoin * (1 - w.doubleTapShare));
}
