/**
 * What the outputs still need of the viewers who left, once their slots go to new viewers (slots.ts):
 * viewers.csv (a row per viewer, or segments by spend), the payers' spend (Lorenz curve, top shares)
 * and a workload plan's spend per viewer. Their ledger accounts stay in the ledger, by viewer number.
 *
 * Kept compactly: a payer (a viewer who bought) as one record — its number, spend, purchases, channel,
 * gifts and coins gifted, 25 bytes — since segments rank payers by spend over the whole run; a viewer
 * who never bought only as sums (how many, their gifts and coins), unless the run prints a row per
 * viewer (no more than `viewerRowsMax` viewers: then every one is a record).
 */
import { assert } from '../../common/assert.ts';
import { grownTo, type Viewers } from '../model/viewers.ts';

/** Viewers who never bought, summed. */
export interface FoldedViewers {
  viewers: number;
  gifts: number;
  coinsGifted: number;
  /** Their coins at the end (none unless a fault let them gift without buying). */
  coinsHeld: number;
  spentCents: number;
}

export class Departed {
  count = 0;
  ids: Int32Array;
  spentCents: Int32Array;
  purchases: Uint32Array;
  gifts: Uint32Array;
  coinsGifted: Float64Array;
  channel: Uint8Array;
  readonly folded: FoldedViewers = { viewers: 0, gifts: 0, coinsGifted: 0, coinsHeld: 0, spentCents: 0 };

  constructor(
    /** Every viewer is a record (the run prints a row per viewer), not only payers. */
    readonly keepAll: boolean,
    capacity = 1024,
  ) {
    this.ids = new Int32Array(capacity);
    this.spentCents = new Int32Array(capacity);
    this.purchases = new Uint32Array(capacity);
    this.gifts = new Uint32Array(capacity);
    this.coinsGifted = new Float64Array(capacity);
    this.channel = new Uint8Array(capacity);
  }

  get bytes(): number {
    return (
      this.ids.byteLength +
      this.spentCents.byteLength +
      this.purchases.byteLength +
      this.gifts.byteLength +
      this.coinsGifted.byteLength +
      this.channel.byteLength
    );
  }

  /** The viewer in slot v of `viewers` left for good, holding `coinsHeld` coins (it never trades again). */
  add(viewers: Viewers, v: number, coinsHeld: number): void {
    if (viewers.purchases[v] === 0 && !this.keepAll) {
      const f = this.folded;
      f.viewers++;
      f.gifts += viewers.gifts[v];
      f.coinsGifted += viewers.coinsGifted[v];
      f.coinsHeld += coinsHeld;
      f.spentCents += viewers.spentCents[v];
      return;
    }
    if (this.count === this.ids.length) this.grow();
    const i = this.count++;
    this.ids[i] = viewers.idOf(v);
    this.spentCents[i] = viewers.spentCents[v];
    this.purchases[i] = viewers.purchases[v];
    this.gifts[i] = viewers.gifts[v];
    this.coinsGifted[i] = viewers.coinsGifted[v];
    this.channel[i] = viewers.channel[v];
  }

  private grow(): void {
    const n = 2 * this.ids.length;
    this.ids = grownTo(this.ids, n);
    this.spentCents = grownTo(this.spentCents, n);
    this.purchases = grownTo(this.purchases, n);
    this.gifts = grownTo(this.gifts, n);
    this.coinsGifted = grownTo(this.coinsGifted, n);
    this.channel = grownTo(this.channel, n);
  }
}

/**
 * Every viewer of a run for its outputs: records 0 … slots − 1 are the viewer table's slots (a free one
 * has number −1), the rest the departed viewers kept; those only summed are in `folded`.
 */
export class ViewerOutcomes {
  readonly folded: FoldedViewers;
  private readonly slots: number;

  constructor(
    private readonly viewers: Viewers,
    private readonly departed: Departed | null,
    /** Viewer numbers of the run: those present at the start and every arrival. */
    readonly viewerIds: number,
  ) {
    this.slots = viewers.count;
    this.folded = departed?.folded ?? { viewers: 0, gifts: 0, coinsGifted: 0, coinsHeld: 0, spentCents: 0 };
  }

  get records(): number {
    return this.slots + (this.departed?.count ?? 0);
  }

  /** Viewer number of record i (−1: a free slot, no viewer). */
  id(i: number): number {
    return i < this.slots ? this.viewers.idOf(i) : (this.departed as Departed).ids[i - this.slots];
  }

  purchases(i: number): number {
    return i < this.slots ? this.viewers.purchases[i] : (this.departed as Departed).purchases[i - this.slots];
  }

  spentCents(i: number): number {
    return i < this.slots
      ? this.viewers.spentCents[i]
      : (this.departed as Departed).spentCents[i - this.slots];
  }

  gifts(i: number): number {
    return i < this.slots ? this.viewers.gifts[i] : (this.departed as Departed).gifts[i - this.slots];
  }

  coinsGifted(i: number): number {
    return i < this.slots
      ? this.viewers.coinsGifted[i]
      : (this.departed as Departed).coinsGifted[i - this.slots];
  }

  channel(i: number): number {
    return i < this.slots ? this.viewers.channel[i] : (this.departed as Departed).channel[i - this.slots];
  }

  /** Records of viewers (not free slots), in viewer-number order. */
  byViewer(): Int32Array {
    const order: number[] = [];
    for (let i = 0; i < this.records; i++) if (this.id(i) >= 0) order.push(i);
    order.sort((a, b) => this.id(a) - this.id(b));
    return Int32Array.from(order);
  }

  /** What each viewer spent (cents), by viewer number (those only summed spent nothing). */
  spentCentsByViewer(): Int32Array {
    const out = new Int32Array(this.viewerIds);
    for (let i = 0; i < this.records; i++) {
      const id = this.id(i);
      if (id >= 0) out[id] = this.spentCents(i);
    }
    assert(this.folded.spentCents === 0, 'a viewer only summed spent nothing');
    return out;
  }
}
