/**
 * The run opens in steady state. Sessions and streams start in the on/off share of their first second
 * (Simulation.warmStart), but a payer's wallet depends on its past: one that watched and bought an hour
 * ago holds little, one that has not watched for a day holds a full day's budget — and whether it is
 * watching at second 0 goes with it (a payer in mid-session has often bought in that session already).
 *
 * So, before the run, each payer lives the few days before it on its own. Its wallet starts them with a
 * random share of its span already accrued (the phase of its spending); it watches in sessions that
 * follow the viewers' rhythm, each one on videos or in a live stream picked by pull; it tries gifts at
 * the engine's rates and trades by the Trader's own rules. The one thing it cannot see is the other
 * viewers, so a stream's audience is estimated: its share of the live watchers (pull over the pull of
 * the creators live on average), built up since the stream started as viewers who stay a session arrive
 * (1 − e^(−age / sessionMean)), the payer joining at an age uniform over a mean stream.
 *
 * What a payer carries into the run is its wallet and the rest of its session, if any. Nothing else of
 * those days is kept — the run's ledger opens empty, so coins left over from earlier packs are not
 * carried, and what they counted is dropped — so each payer lives them in a scratch slot of its own
 * (a one-viewer table, and a purse that keeps its coins as the ledger would: a pack's coins in, a gift's
 * coins out), which stays in cache instead of touching the population's counters and a scratch ledger
 * the population's size. Creators withdraw nothing before the run: their diamonds never reach a payer.
 */
import { assert } from '../../common/assert.ts';
import { DAY_SECONDS, modelLimits } from '../../common/limits.ts';
import { giftCoins } from '../economy/rules.ts';
import type { Economy } from '../economy/types.ts';
import { Status } from '../kernel/status.ts';
import { walletSpanSeconds } from '../model/budget.ts';
import type { Creators } from '../model/creators.ts';
import { type ModelParams, onShare } from '../model/params.ts';
import { BOOSTED, LIVE, PAYER, Viewers } from '../model/viewers.ts';
import { gapSeconds, pickCumulative, type Rng } from '../random/index.ts';
import { Recorder } from './recorder.ts';
import { Trader, type TraderLedger } from './trader.ts';

/**
 * How long before the run a payer's history starts: whole days, so that its rhythm lines up with the
 * run's; three, so that a budget of about one pack a day (a day to refill, then a wait for a session)
 * has forgotten its random start.
 */
export const OPENING_SECONDS = 3 * DAY_SECONDS;
assert(
  OPENING_SECONDS + modelLimits.walletSpanSecondsMax < 2 ** 31,
  'wallets opened before the run overflow int32',
);

/**
 * Sets every payer's wallet (`walletSince`) as the days before the run left it, and its session end
 * (`sessionEnd`): the second its session ends when it is watching at second 0, else 0. Draws from `rng`
 * only; the creators' counters it touches are reset.
 */
export function openPayers(
  params: ModelParams,
  economy: Economy,
  viewers: Viewers,
  creators: Creators,
  rng: Rng,
): void {
  const slot = new Viewers(1);
  const purse = new Purse(economy);
  const recorder = new Recorder(1, economy);
  const trader = new Trader(purse, params, slot, creators, recorder, rng);
  const history = new PayerHistory(params, slot, creators, trader, rng);
  const sessionOn = onShare(
    params.sessionGapSeconds / params.viewerDiurnal.factorIn(0),
    params.sessionMeanSeconds,
  );
  for (let v = 0; v < viewers.count; v++) {
    if ((viewers.state(v) & PAYER) === 0) continue;
    slot.copyFrom(viewers, v, 0);
    purse.empty();
    const span = walletSpanSeconds(
      slot.budgetPerDayCents(0),
      params.market[0].shelves.cheapestCostCents(slot.channel[0]),
    );
    slot.walletSince[0] = -OPENING_SECONDS - Math.floor(rng() * span);
    viewers.setSessionEnd(v, history.live(0, rng() < sessionOn));
    viewers.walletSince[v] = Math.max(slot.walletSince[0], -span);
  }
  creators.gifts.fill(0);
  creators.diamondsWithdrawn.fill(0);
}

/**
 * The ledger of one payer's days before the run: its coins, which a pack adds to and a gift takes from
 * as the core Ledger counts them. Nothing else of those trades reaches the run, so nothing else is kept
 * (creators hold no diamonds, so none withdraws).
 */
class Purse implements TraderLedger {
  readonly totals = { diamondsCredited: 0, diamondsWithdrawn: 0 };
  private coins = 0;

  constructor(readonly economy: Economy) {}

  empty(): void {
    this.coins = 0;
  }

  coinsOf(): number {
    return this.coins;
  }

  diamondsOf(): number {
    return 0;
  }

  purchase(_viewer: number, channel: number, pack: number): Status {
    this.coins += this.economy.channels[channel].packs[pack].coins;
    return Status.Ok;
  }

  gift(_viewer: number, _creator: number, gift: number, count: number): Status {
    const coins = giftCoins(this.economy.gifts[gift], count);
    if (coins > this.coins) return Status.InsufficientCoins;
    this.coins -= coins;
    return Status.Ok;
  }

  withdraw(): Status {
    return Status.InsufficientDiamonds;
  }
}

/** One payer's days before the run, trading on the scratch trader. Times are the run's, so negative. */
class PayerHistory {
  /** A live stream of pull w settles at about w × this many viewers. */
  private readonly audiencePerPull: number;
  /** The stream the payer watches: its settled audience, and the second it started. */
  private audience = 0;
  private streamStart = 0;

  constructor(
    private readonly params: ModelParams,
    private readonly viewers: Viewers,
    private readonly creators: Creators,
    private readonly trader: Trader,
    private readonly rng: Rng,
  ) {
    const streamOn = onShare(params.streamGapSeconds, params.streamMeanSeconds);
    const watchers =
      params.viewers * onShare(params.sessionGapSeconds, params.sessionMeanSeconds) * params.liveShare;
    const pull = creators.videoCum[creators.count - 1];
    this.audiencePerPull = streamOn === 0 ? 0 : watchers / (streamOn * pull);
  }

  /**
   * Payer `v`'s sessions and gift tries from the start of its history to second 0, `watching` at its
   * start or not. Returns the second its last session ends when that is after 0, else 0.
   */
  live(v: number, watching: boolean): number {
    const { params, rng } = this;
    const gap = params.sessionGapSeconds;
    let t = -OPENING_SECONDS;
    let inSession = watching;
    for (;;) {
      if (!inSession) {
        if (gap === Number.POSITIVE_INFINITY) return 0;
        t = params.viewerDiurnal.next(t, gap, rng);
        if (t >= 0) return 0;
      }
      inSession = false;
      const end = t + gapSeconds(rng, params.sessionMeanSeconds);
      this.session(v, t, Math.min(end, 0));
      if (end > 0) return end;
      t = end;
    }
  }

  /** A session from `start` to `end`: gift tries as the engine makes them (none while nothing is affordable). */
  private session(v: number, start: number, end: number): void {
    const { params, viewers, creators, rng } = this;
    if (rng() < params.liveShare && this.audiencePerPull > 0) {
      const c = pickCumulative(rng, creators.videoCum, creators.count);
      this.audience = this.audiencePerPull * creators.baseWeight[c];
      this.streamStart = start - Math.floor(rng() * params.streamMeanSeconds);
      viewers.setWatching(v, c);
      viewers.setState(v, viewers.state(v) | LIVE);
    }
    for (let at = start; ; ) {
      const rate = this.giftRate(v, at);
      if (!(rate > 0)) break;
      at = this.trader.affordableFrom(v, at) + gapSeconds(rng, 1 / rate);
      if (at >= end) break;
      this.trader.giftFrom(v, at);
    }
    viewers.setWatching(v, -1);
    viewers.setState(v, viewers.state(v) & ~(LIVE | BOOSTED));
  }

  /** The engine's gift rate at second `t` (Simulation.giftRate), at the estimated audience. */
  private giftRate(v: number, t: number): number {
    const { params } = this;
    const state = this.viewers.state(v);
    let rate = params.giftRatePerSecond;
    if ((state & LIVE) !== 0) {
      const built = 1 - Math.exp((this.streamStart - t) / params.sessionMeanSeconds);
      rate *= params.curve.multiplier(1 + this.audience * built);
    } else rate *= params.videoGiftRate;
    if ((state & BOOSTED) !== 0) rate *= params.shoutoutBoost;
    return rate;
  }
}
