/**
 * What is on sale when: a scenario's timed price changes and coin bonuses, and the bonus on a new
 * viewer's first purchase, as packs of the economy and the stretches of the run that offer them.
 *
 * A changed price or a bonus makes a variant of a listed pack: the same pack id with a tag (`c70-p120`
 * costs 120 % of c70's price, `c70-b20` gives 20 % more coins, `c70-p120-b20` both). Variants are
 * appended to their channel's pack list, so the ledger, the target and the audit see an ordinary pack —
 * a promotional SKU, as stores sell them — and every pack listed by the scenario keeps its index.
 *
 * Rounding: a changed price is rounded to the nearest cent (at least 1); bonus coins are rounded down
 * (a promotion never gives a fraction of a coin). A price change holds from its second to the end of the
 * run, and several multiply; bonuses hold for their stretch, and overlapping ones add up.
 */
import { assert } from '../../common/assert.ts';
import { BP } from '../../common/limits.ts';
import type { Channel, Pack } from '../economy/types.ts';

/** A price change or a coin bonus on some channels (indices into the economy's channels). */
export type MarketEvent =
  | { kind: 'price'; atSeconds: number; channels: readonly number[]; factor: number }
  | { kind: 'bonus'; atSeconds: number; endSeconds: number; channels: readonly number[]; bonus: number };

/** One stretch of the run: the pack indices each channel offers, and to a first purchase. */
export interface Stretch {
  fromSeconds: number;
  offered: number[][];
  /** What a viewer's first purchase may take instead (null: no first-purchase bonus). */
  firstOffered: number[][] | null;
}

export interface Timeline {
  /** The economy's channels with the variants appended (the same objects when there are none). */
  channels: Channel[];
  stretches: Stretch[];
}

/** A variant of `pack`: its price × `factor` (to the cent), its coins × (1 + `bonus`) (rounded down). */
export function variantOf(pack: Pack, factor: number, bonus: number): Pack {
  const priceCents = Math.max(1, Math.round(pack.priceCents * factor));
  // In basis points, so that 70 coins + 20 % is 84 exactly, not a float's 83.99….
  const coins = pack.coins + Math.floor((pack.coins * Math.round(bonus * BP)) / BP);
  const tags = [
    priceCents === pack.priceCents ? '' : `-p${Math.round(factor * 100)}`,
    coins === pack.coins ? '' : `-b${Math.round(bonus * 100)}`,
  ];
  return { id: `${pack.id}${tags.join('')}`, coins, priceCents };
}

/**
 * The timeline of a run of `durationSeconds` with these events and a first-purchase bonus (0: none).
 * Without either, one stretch offering every listed pack, and the channels unchanged.
 */
export function timeline(
  channels: readonly Channel[],
  events: readonly MarketEvent[],
  firstPurchaseBonus: number,
  durationSeconds: number,
): Timeline {
  const starts = new Set([0]);
  for (const e of events) {
    if (e.atSeconds < durationSeconds) starts.add(e.atSeconds);
    if (e.kind === 'bonus' && e.endSeconds < durationSeconds) starts.add(e.endSeconds);
  }
  const packs = channels.map((c) => [...c.packs]);
  const listed = channels.map((c) => c.packs.length);
  // Variants by pack and (price, coins): the same variant in two stretches is one pack.
  const index = channels.map(() => new Map<string, number>());
  const variant = (c: number, p: number, factor: number, bonus: number): number => {
    const v = variantOf(packs[c][p], factor, bonus);
    if (v.priceCents === packs[c][p].priceCents && v.coins === packs[c][p].coins) return p;
    const key = `${p}:${v.priceCents}:${v.coins}`;
    const known = index[c].get(key);
    if (known !== undefined) return known;
    let id = v.id;
    for (let n = 2; packs[c].some((q) => q.id === id); n++) id = `${v.id}-${n}`;
    packs[c].push({ ...v, id });
    index[c].set(key, packs[c].length - 1);
    return packs[c].length - 1;
  };
  const stretches = [...starts]
    .sort((a, b) => a - b)
    .map((from) => {
      const offered: number[][] = [];
      const firstOffered: number[][] = [];
      channels.forEach((_, c) => {
        let factor = 1;
        let bonus = 0;
        for (const e of events) {
          if (!e.channels.includes(c) || e.atSeconds > from) continue;
          if (e.kind === 'price') factor *= e.factor;
          else if (from < e.endSeconds) bonus += e.bonus;
        }
        const base = Array.from({ length: listed[c] }, (_, p) => p);
        offered.push(base.map((p) => variant(c, p, factor, bonus)));
        firstOffered.push(base.map((p) => variant(c, p, factor, bonus + firstPurchaseBonus)));
      });
      return { fromSeconds: from, offered, firstOffered: firstPurchaseBonus > 0 ? firstOffered : null };
    });
  for (const s of stretches) for (const o of s.offered) assert(o.length > 0, 'a stretch offers packs');
  return {
    channels: channels.map((c, i) => (packs[i].length === c.packs.length ? c : { ...c, packs: packs[i] })),
    stretches,
  };
}
