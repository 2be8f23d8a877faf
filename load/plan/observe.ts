/**
 * Runs one replication of the simulation — the same model parameters, random streams and engine as
 * `giftlab run` — on a ledger that also notes every operation it accepts: who, what, when, live or
 * on a video. Nothing is re-derived here; the plan is what the model did.
 */

import { assert } from '../../common/assert.ts';
import { loadLimits } from '../../common/limits.ts';
import { modelParams } from '../../scenarios/model-params.ts';
import type { Scenario } from '../../scenarios/schema/scenario.ts';
import { ledgerViewers } from '../../sim/engine/crowd.ts';
import { Simulation } from '../../sim/engine/simulation.ts';
import { Status } from '../../sim/kernel/status.ts';
import { Ledger } from '../../sim/ledger/ledger.ts';
import { createStreams } from '../../sim/random/streams.ts';

/** Growable columns of integers. */
class Column {
  data = new Int32Array(1024);
  length = 0;

  push(v: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = v;
  }
}

export interface Observed {
  /** Purchases: viewer, channel index, pack index, second. */
  purchases: { viewer: Column; channel: Column; pack: Column; at: Column };
  /** Gifts: viewer, creator, gift index, count, 1 when live, second. */
  gifts: { viewer: Column; creator: Column; gift: Column; count: Column; live: Column; at: Column };
  /** Withdrawals: creator, diamonds taken, second. */
  withdrawals: { creator: Column; diamonds: Column; at: Column };
  /** What each viewer spent (cents), from the engine's own table. */
  spentCents: Int32Array;
  bookingsCents: number;
  coinsPurchased: number;
  coinsGifted: number;
  diamondsWithdrawn: number;
}

class ObservingLedger extends Ledger {
  /** Whether a viewer (by number) watches a live stream now: the engine's, set once it exists. */
  watchesLive: ((viewer: number) => boolean) | undefined;
  readonly seen: Omit<Observed, 'spentCents'> = {
    purchases: { viewer: new Column(), channel: new Column(), pack: new Column(), at: new Column() },
    gifts: {
      viewer: new Column(),
      creator: new Column(),
      gift: new Column(),
      count: new Column(),
      live: new Column(),
      at: new Column(),
    },
    withdrawals: { creator: new Column(), diamonds: new Column(), at: new Column() },
    bookingsCents: 0,
    coinsPurchased: 0,
    coinsGifted: 0,
    diamondsWithdrawn: 0,
  };
  private noted = 0;

  override purchase(viewer: number, channel: number, pack: number, at: number, opId?: string): Status {
    const status = super.purchase(viewer, channel, pack, at, opId);
    if (status !== Status.Ok) return status;
    this.count();
    const p = this.seen.purchases;
    p.viewer.push(viewer);
    p.channel.push(channel);
    p.pack.push(pack);
    p.at.push(at);
    const bought = this.economy.channels[channel].packs[pack];
    this.seen.bookingsCents += bought.priceCents;
    this.seen.coinsPurchased += bought.coins;
    return status;
  }

  override gift(
    viewer: number,
    creator: number,
    gift: number,
    count: number,
    at: number,
    opId?: string,
  ): Status {
    const status = super.gift(viewer, creator, gift, count, at, opId);
    if (status !== Status.Ok) return status;
    this.count();
    const g = this.seen.gifts;
    g.viewer.push(viewer);
    g.creator.push(creator);
    g.gift.push(gift);
    g.count.push(count);
    g.live.push(this.watchesLive?.(viewer) === true ? 1 : 0);
    g.at.push(at);
    this.seen.coinsGifted += this.economy.gifts[gift].coins * count;
    return status;
  }

  override withdraw(creator: number, requestedDiamonds: number, at: number, opId?: string): Status {
    const before = this.totals.diamondsWithdrawn;
    const status = super.withdraw(creator, requestedDiamonds, at, opId);
    if (status !== Status.Ok) return status;
    this.count();
    const taken = this.totals.diamondsWithdrawn - before;
    const w = this.seen.withdrawals;
    w.creator.push(creator);
    w.diamonds.push(Math.min(taken, 2 ** 31 - 1));
    w.at.push(at);
    this.seen.diamondsWithdrawn += taken;
    return status;
  }

  private count(): void {
    this.noted++;
    assert(
      this.noted <= loadLimits.planOperationsMax,
      `the plan notes at most ${loadLimits.planOperationsMax} operations a replication`,
    );
  }
}

/** Simulates replication `replication` of the scenario and returns what it did. */
export function observeReplication(scenario: Scenario, replication: number): Observed {
  const params = modelParams(scenario);
  const ledger = new ObservingLedger(scenario.economy, {
    journal: false,
    idempotency: false,
    viewers: ledgerViewers(params),
    creators: params.creatorSlots,
  });
  const sim = new Simulation(params, ledger, createStreams(scenario.seed, replication));
  ledger.watchesLive = (viewer) => sim.watchesLive(viewer);
  sim.run();
  return { ...ledger.seen, spentCents: sim.outcomes().spentCentsByViewer() };
}
