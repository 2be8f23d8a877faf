/**
 * Draws from the workload's cumulative tables, and the pack rules. The uniform draws are passed in
 * (`u` in [0, 1), or a function giving them), so that tests are exact and the caller decides where
 * randomness comes from.
 */
import type { CreatorBucket } from './types.ts';

/** Index i with cum[i−1] ≤ u·total < cum[i] (cum non-decreasing, its last entry the total). */
export function pickCum(cum: readonly number[], u: number): number {
  const target = u * cum[cum.length - 1];
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cum[mid] > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** A creator rank from the buckets: the bucket by `u1`, a rank inside it by `u2`. */
export function pickCreatorRank(buckets: readonly CreatorBucket[], u1: number, u2: number): number {
  const b = buckets[pickBucket(buckets, u1)];
  return b.fromRank + Math.min(b.toRank - b.fromRank - 1, Math.floor(u2 * (b.toRank - b.fromRank)));
}

/** Like `pickCum` over the buckets' `cum`, without building the array. */
function pickBucket(buckets: readonly CreatorBucket[], u: number): number {
  const target = u * buckets[buckets.length - 1].cum;
  let lo = 0;
  let hi = buckets.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (buckets[mid].cum > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Packs (positions in a shelf sorted by coins) to buy towards `needCoins`: the smallest pack that
 * covers what is still missing, else the largest, again — the model's `smallest` rule
 * (`PackShelves.next`) with an unlimited budget (the load test's viewers always pay). At most `maxPacks`.
 */
export function packsFor(shelfCoins: readonly number[], needCoins: number, maxPacks: number): number[] {
  const out: number[] = [];
  let short = needCoins;
  while (short > 0 && out.length < maxPacks) {
    let k = 0;
    while (k < shelfCoins.length - 1 && shelfCoins[k] < short) k++;
    out.push(k);
    short -= shelfCoins[k];
  }
  return out;
}

/**
 * Packs (positions in a shelf sorted by coins) to buy towards `needCoins`, each drawn by the plan's
 * observed purchase mix of the channel (`shareCum`: cumulative shares over the shelf) with a uniform
 * from `u`, until the need is covered — so the purchases reproduce the plan's pack mix, whatever rule
 * the model chose them by. At most `maxPacks`: once the slots left are just enough for the covering rule
 * to cover what is missing, the rest follow it (`packsFor`), so the packs cover whenever `packsFor`'s
 * would. A channel the plan saw no purchase on (all shares 0) buys by `packsFor` alone.
 */
export function packsDrawn(
  shelfCoins: readonly number[],
  shareCum: readonly number[],
  needCoins: number,
  maxPacks: number,
  u: () => number,
): number[] {
  if (shareCum.length !== shelfCoins.length || !(shareCum[shareCum.length - 1] > 0)) {
    return packsFor(shelfCoins, needCoins, maxPacks);
  }
  const largest = shelfCoins[shelfCoins.length - 1];
  const out: number[] = [];
  let short = needCoins;
  while (short > 0 && out.length < maxPacks) {
    const slots = maxPacks - out.length;
    // The covering rule needs ⌈short / largest⌉ packs, and never more after a drawn pack.
    if (Math.ceil(short / largest) >= slots) {
      for (const k of packsFor(shelfCoins, short, slots)) out.push(k);
      break;
    }
    const k = pickCum(shareCum, u());
    out.push(k);
    short -= shelfCoins[k];
  }
  return out;
}

/** Owned users split into consecutive class groups by payer share (each non-empty class gets ≥ 1). */
export function classGroups(owned: readonly number[], shares: readonly number[]): number[][] {
  const groups: number[][] = shares.map(() => []);
  if (owned.length === 0) return groups;
  let start = 0;
  let cum = 0;
  shares.forEach((share, c) => {
    cum += share;
    const last = c === shares.length - 1;
    let end = last ? owned.length : Math.round(cum * owned.length);
    if (share > 0 && end <= start && start < owned.length) end = start + 1;
    end = Math.min(owned.length, Math.max(start, end));
    groups[c] = owned.slice(start, end);
    start = end;
  });
  return groups;
}

/** A deterministic uniform in [0, 1) from an integer (murmur3's finaliser). */
export function unitHash(n: number): number {
  let h = (n + 0x9e3779b9) | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}
