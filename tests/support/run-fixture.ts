/**
 * Realistic `RunResult`s for report and compare tests that need many shapes of run quickly: a
 * coarse, seeded stand-in for the simulation that respects the contract's arithmetic (gross = store +
 * payment + net per purchase via the economy rules, creator earnings from diamonds, margin = net −
 * earnings) and the scenario's shape (population, payer share, channel preference, diurnal curve,
 * Zipf audiences, heavy-tailed budgets). Not a model to draw conclusions from.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { BP } from '../../common/limits.ts';
import type {
  AudienceBin,
  CreatorRow,
  IntervalRow,
  LorenzCurve,
  ReplicationResult,
  RunResult,
  ViewerRow,
} from '../../experiments/result.ts';
import { emptyRow, packRowsOf } from '../../experiments/rows.ts';
import { ci95OfMean, sampleOf } from '../../reports/compare/stats.ts';
import { validateScenario } from '../../scenarios/load.ts';
import type { Scenario } from '../../scenarios/schema/scenario.ts';
import { diamondsToCents, giftDiamonds, newPurchaseSplit, splitPurchase } from '../../sim/economy/rules.ts';
import type { Channel } from '../../sim/economy/types.ts';
import { LEDGER_STATE_INVARIANTS } from '../../sim/invariants/types.ts';
import { KPI_NAMES, type KpiName, type KpiStat, type Kpis } from '../../sim/kpis.ts';

export interface FixtureOptions {
  replications?: number;
  seed?: number;
  /** Scale every population (viewers, creators) by this factor; 1 = the scenario's own size. */
  scale?: number;
  /** Invariant violations to report in the first replication (to test how reports show them). */
  violations?: number;
}

/** The shipped baseline scenario, loaded through the real loader. */
export function baselineScenario(overrides: Record<string, unknown> = {}): Scenario {
  const text = readFileSync(new URL('../../scenarios/baseline.yaml', import.meta.url), 'utf8');
  return validateScenario({ ...(parse(text) as Record<string, unknown>), ...overrides }, 'baseline');
}

export function buildRunFixture(scenario: Scenario, options: FixtureOptions = {}): RunResult {
  const replications = options.replications ?? 1;
  const seed = options.seed ?? scenario.seed;
  const reps: ReplicationResult[] = [];
  for (let r = 0; r < replications; r++) {
    const rep = buildReplication(scenario, r, (seed + r * 7919) >>> 0, options.scale ?? 1);
    if (r === 0 && (options.violations ?? 0) > 0) injectViolations(rep, options.violations ?? 0);
    reps.push(rep);
  }
  return {
    scenario: scenario.name,
    seed,
    replications: reps,
    kpiStats: kpiStatsOf(reps),
    events: reps.reduce((s, r) => s + r.events, 0),
    wallSeconds: 0.42 * replications,
  };
}

export function kpiStatsOf(reps: readonly ReplicationResult[]): Record<KpiName, KpiStat> {
  const out = {} as Record<KpiName, KpiStat>;
  for (const k of KPI_NAMES) {
    const s = sampleOf(reps.map((r) => r.kpis[k]));
    out[k] = { mean: s.mean, ci95: ci95OfMean(s), sd: s.sd };
  }
  return out;
}

/** mulberry32: a tiny seeded generator, enough for fixtures. */
export function rngOf(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Totals {
  gross: number;
  store: number;
  payment: number;
  net: number;
  coins: number;
  purchases: number;
  /** Purchases by `channel/pack` index. */
  byPack: Map<string, number>;
}

interface Payer {
  spentCents: number;
  coins: number;
  channel: string;
  purchases: number;
}

function buildReplication(
  scenario: Scenario,
  replication: number,
  seed: number,
  scale: number,
): ReplicationResult {
  const rng = rngOf(seed);
  const viewers = Math.max(10, Math.round(scenario.population.viewers * scale));
  const creators = Math.max(5, Math.round(scenario.population.creators * scale));
  const intervals = Math.max(1, Math.ceil(scenario.duration / scenario.intervalSeconds));
  const diurnal = diurnalWeights(scenario, intervals);
  const channels = scenario.economy.channels;
  const timeseries = emptyTimeseries(scenario, intervals, channels);
  const payerCount = Math.max(1, Math.round(viewers * scenario.viewers.payerShare * (0.9 + 0.2 * rng())));
  const totals: Totals = {
    gross: 0,
    store: 0,
    payment: 0,
    net: 0,
    coins: 0,
    purchases: 0,
    byPack: new Map(),
  };
  const payers: Payer[] = [];
  for (let i = 0; i < payerCount; i++) {
    const payer = buyCoins(scenario, rng, channels, timeseries, diurnal, totals);
    payers.push(payer);
  }
  const gifting = giveGifts(scenario, rng, payers, creators, timeseries, diurnal);
  const kpis = kpisOf(totals, gifting, payers, viewers, scenario.duration / 86_400);
  fillActivity(timeseries, diurnal, viewers, creators, rng);
  return {
    replication,
    seed,
    events: totals.purchases + gifting.gifts + gifting.withdrawals,
    kpis,
    timeseries,
    creators: gifting.rows,
    viewers: viewerSegments(payers, viewers, gifting),
    audience: audienceBins(scenario, rng, viewers, kpis.giftsSent),
    packs: packRowsOf(scenario.economy, (c, p) => totals.byPack.get(`${c}/${p}`) ?? 0),
    // The fixture's gifts have no kind (a mean of 18 coins each): no rows by gift.
    gifts: [],
    cohorts: [],
    lorenz: {
      creatorEarnings: lorenzOf(gifting.rows.map((c) => c.earningsCents)),
      payerSpend: lorenzOf(payers.map((p) => p.spentCents)),
    },
    invariants: {
      checked: [...LEDGER_STATE_INVARIANTS],
      entries: totals.purchases + gifting.gifts + gifting.withdrawals,
      violationCount: 0,
      violations: [],
    },
  };
}

function diurnalWeights(scenario: Scenario, intervals: number): number[] {
  const { peakHour, amplitude } = scenario.creators.diurnal;
  const w: number[] = [];
  for (let i = 0; i < intervals; i++) {
    const hour = ((i + 0.5) * scenario.intervalSeconds) / 3600;
    w.push(1 + amplitude * Math.cos((2 * Math.PI * (hour - peakHour)) / 24));
  }
  const sum = w.reduce((s, x) => s + x, 0);
  return w.map((x) => x / sum);
}

function emptyTimeseries(scenario: Scenario, intervals: number, channels: readonly Channel[]): IntervalRow[] {
  return Array.from({ length: intervals }, (_, i) => ({
    startSeconds: i * scenario.intervalSeconds,
    bookingsCents: Object.fromEntries(channels.map((c) => [c.id, 0])),
    coinsSold: Object.fromEntries(channels.map((c) => [c.id, 0])),
    purchases: 0,
    gifts: 0,
    coinsSpent: 0,
    diamondsCredited: 0,
    withdrawals: 0,
    activeStreams: 0,
    activeViewers: 0,
    viewersActive: 0,
    payersActive: 0,
    creatorsPresent: 0,
  }));
}

function pick(rng: () => number, weights: readonly number[]): number {
  const total = weights.reduce((s, x) => s + x, 0);
  let u = rng() * total;
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i];
    if (u < 0) return i;
  }
  return weights.length - 1;
}

function buyCoins(
  scenario: Scenario,
  rng: () => number,
  channels: readonly Channel[],
  timeseries: IntervalRow[],
  diurnal: readonly number[],
  totals: Totals,
): Payer {
  const prefs = channels.map((c) => scenario.viewers.channels[c.id] ?? 0);
  let channel = pick(rng, prefs.some((p) => p > 0) ? prefs : channels.map(() => 1));
  const web = channels.findIndex((c) => c.id === 'web');
  if (web >= 0 && channel !== web && rng() < scenario.viewers.webSwitch.probability) channel = web;
  const { minCents, paretoAlpha, capCents } = scenario.viewers.budget;
  const budget = Math.min(capCents, minCents / (1 - rng()) ** (1 / paretoAlpha));
  const packs = channels[channel].packs;
  const payer: Payer = { spentCents: 0, coins: 0, channel: channels[channel].id, purchases: 0 };
  const split = newPurchaseSplit();
  for (let guard = 0; guard < 200; guard++) {
    const affordable = packs.filter((p) => payer.spentCents + p.priceCents <= budget);
    if (affordable.length === 0) break;
    const pack = affordable[affordable.length - 1 - Math.floor(rng() * Math.min(2, affordable.length))];
    const key = `${channel}/${packs.indexOf(pack)}`;
    totals.byPack.set(key, (totals.byPack.get(key) ?? 0) + 1);
    splitPurchase(channels[channel], pack, split);
    const at = pick(rng, diurnal);
    timeseries[at].bookingsCents[channels[channel].id] += split.grossCents;
    timeseries[at].coinsSold[channels[channel].id] += split.coins;
    timeseries[at].purchases++;
    totals.gross += split.grossCents;
    totals.store += split.feeCents[0];
    totals.payment += split.feeCents[1];
    totals.net += split.netCents;
    totals.coins += split.coins;
    totals.purchases++;
    payer.spentCents += split.grossCents;
    payer.coins += split.coins;
    payer.purchases++;
  }
  return payer;
}

interface Gifting {
  gifts: number;
  coinsSpent: number;
  earningsCents: number;
  payoutsCents: number;
  withdrawals: number;
  giftsByPayer: number[];
  coinsByPayer: number[];
  rows: CreatorRow[];
}

function giveGifts(
  scenario: Scenario,
  rng: () => number,
  payers: readonly Payer[],
  creators: number,
  timeseries: IntervalRow[],
  diurnal: readonly number[],
): Gifting {
  const zipf = Array.from(
    { length: creators },
    (_, k) => 1 / (k + 1) ** scenario.population.creatorPopularityZipf,
  );
  const cumulative: number[] = [];
  zipf.reduce((s, x, i) => {
    cumulative[i] = s + x;
    return cumulative[i];
  }, 0);
  const coinsByCreator = new Array<number>(creators).fill(0);
  const giftsByCreator = new Array<number>(creators).fill(0);
  const g: Gifting = {
    gifts: 0,
    coinsSpent: 0,
    earningsCents: 0,
    payoutsCents: 0,
    withdrawals: 0,
    giftsByPayer: [],
    coinsByPayer: [],
    rows: [],
  };
  const meanGiftCoins = 18;
  for (const payer of payers) {
    const coins = Math.floor(payer.coins * (0.55 + 0.4 * rng()));
    const gifts = Math.max(1, Math.round(coins / meanGiftCoins));
    const creator = zipfPick(cumulative, rng);
    coinsByCreator[creator] += coins;
    giftsByCreator[creator] += gifts;
    const at = pick(rng, diurnal);
    timeseries[at].gifts += gifts;
    timeseries[at].coinsSpent += coins;
    g.gifts += gifts;
    g.coinsSpent += coins;
    g.giftsByPayer.push(gifts);
    g.coinsByPayer.push(coins);
  }
  const economy = scenario.economy;
  for (let c = 0; c < creators; c++) {
    const diamonds = giftDiamonds(economy.creatorShareBp, coinsByCreator[c], 0);
    const earningsCents = diamondsToCents(economy.diamondValueMilliCents, diamonds);
    const withdraws = diamonds >= scenario.creators.withdrawAtDiamonds;
    const withdrawnCents = withdraws ? earningsCents : 0;
    g.earningsCents += earningsCents;
    g.payoutsCents += withdrawnCents;
    g.withdrawals += withdraws ? 1 : 0;
    g.rows.push({
      creator: c,
      rank: c + 1,
      streams: scenario.creators.streamsPerDay > 0 ? 1 : 0,
      giftsReceived: giftsByCreator[c],
      coinsReceived: coinsByCreator[c],
      diamondsEarned: diamonds,
      earningsCents,
      withdrawnCents,
      peakAudience: Math.max(1, Math.round(zipf[c] * 4000)),
      joinedSeconds: 0,
      leftSeconds: Number.NaN,
    });
  }
  const diamondsTotal = g.rows.reduce((s, r) => s + r.diamondsEarned, 0);
  for (const row of timeseries)
    row.diamondsCredited = Math.floor((row.coinsSpent * economy.creatorShareBp) / BP);
  timeseries[timeseries.length - 1].diamondsCredited +=
    diamondsTotal - timeseries.reduce((s, r) => s + r.diamondsCredited, 0);
  timeseries[timeseries.length - 1].withdrawals += g.withdrawals;
  return g;
}

function zipfPick(cumulative: readonly number[], rng: () => number): number {
  const u = rng() * cumulative[cumulative.length - 1];
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid] < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function kpisOf(
  t: { gross: number; store: number; payment: number; net: number; coins: number },
  g: Gifting,
  payers: readonly Payer[],
  viewers: number,
  days: number,
): Kpis {
  const payerCount = payers.length;
  const payerDays = Math.max(1, payerCount) * days;
  const creatorLorenz = lorenzOf(g.rows.map((r) => r.earningsCents));
  return {
    grossBookingsCents: t.gross,
    storeFeesCents: t.store,
    paymentFeesCents: t.payment,
    netRevenueCents: t.net,
    creatorEarningsCents: g.earningsCents,
    creatorPayoutsCents: g.payoutsCents,
    withdrawalFeesCents: 0,
    platformMarginCents: t.net - g.earningsCents,
    coinsPurchased: t.coins,
    coinsSpent: g.coinsSpent,
    unspentCoins: t.coins - g.coinsSpent,
    giftsSent: g.gifts,
    viewers,
    payers: payerCount,
    payerConversion: payerCount / viewers,
    arppuCents: Math.round(t.gross / Math.max(1, payerCount)),
    creatorEarningsGini: creatorLorenz.gini,
    topCreatorShare1Pct: topShare(
      g.rows.map((r) => r.earningsCents),
      0.01,
    ),
    topPayerShare1Pct: topShare(
      payers.map((p) => p.spentCents),
      0.01,
    ),
    arppuPerDayCents: t.gross / payerDays,
    giftsPerPayerPerDay: g.gifts / payerDays,
    // Nobody arrives in the fixture's runs: the cohort KPIs are absent.
    retentionD1: Number.NaN,
    retentionD7: Number.NaN,
    retentionD30: Number.NaN,
    payerConversionD30: Number.NaN,
    ltvD30Cents: Number.NaN,
    breakageShare: t.coins === 0 ? 0 : (t.coins - g.coinsSpent) / t.coins,
  };
}

function topShare(values: readonly number[], share: number): number {
  const sorted = [...values].sort((a, b) => b - a);
  const total = sorted.reduce((s, x) => s + x, 0);
  const k = Math.max(1, Math.ceil(sorted.length * share));
  return total === 0 ? 0 : sorted.slice(0, k).reduce((s, x) => s + x, 0) / total;
}

/** A Lorenz curve with one point per holder (plus the origin) and its Gini coefficient. */
export function lorenzOf(values: readonly number[]): LorenzCurve {
  const sorted = [...values].sort((a, b) => a - b);
  const total = sorted.reduce((s, x) => s + x, 0);
  const n = sorted.length;
  const x = [0];
  const y = [0];
  let cum = 0;
  let area = 0;
  for (let i = 0; i < n; i++) {
    const prev = cum;
    cum += sorted[i];
    x.push((i + 1) / n);
    y.push(total === 0 ? (i + 1) / n : cum / total);
    area += total === 0 ? 0 : (prev + cum) / total / (2 * n);
  }
  return { x, y, gini: total === 0 ? 0 : 1 - 2 * area };
}

function fillActivity(
  timeseries: IntervalRow[],
  diurnal: readonly number[],
  viewers: number,
  creators: number,
  rng: () => number,
): void {
  const peak = Math.max(...diurnal);
  timeseries.forEach((row, i) => {
    const f = diurnal[i] / peak;
    row.activeViewers = Math.round(viewers * 0.03 * f * (0.95 + 0.1 * rng()));
    row.viewersActive = Math.round(row.activeViewers * 3);
    row.payersActive = Math.round(row.activeViewers * 0.05);
    row.activeStreams = Math.round(creators * 0.1 * f * (0.95 + 0.1 * rng()));
    row.creatorsPresent = creators;
  });
}

function viewerSegments(payers: readonly Payer[], viewers: number, g: Gifting): ViewerRow[] {
  const order = payers.map((_, i) => i).sort((a, b) => payers[b].spentCents - payers[a].spentCents);
  const top = Math.max(1, Math.ceil(payers.length * 0.01));
  const segment = (label: string, idx: number[]): ViewerRow => {
    const byChannel: Record<string, number> = {};
    for (const i of idx)
      byChannel[payers[i].channel] = (byChannel[payers[i].channel] ?? 0) + payers[i].purchases;
    return {
      segment: label,
      viewers: idx.length,
      payers: idx.length,
      purchases: idx.reduce((s, i) => s + payers[i].purchases, 0),
      spentCents: idx.reduce((s, i) => s + payers[i].spentCents, 0),
      coinsBought: idx.reduce((s, i) => s + payers[i].coins, 0),
      giftsSent: idx.reduce((s, i) => s + g.giftsByPayer[i], 0),
      coinsGifted: idx.reduce((s, i) => s + g.coinsByPayer[i], 0),
      purchasesByChannel: byChannel,
    };
  };
  const nonPayers: ViewerRow = { ...emptyRow('non-payer'), viewers: viewers - payers.length };
  return [segment('payer:top1%', order.slice(0, top)), segment('payer:rest', order.slice(top)), nonPayers];
}

function audienceBins(scenario: Scenario, rng: () => number, viewers: number, gifts: number): AudienceBin[] {
  const bins: AudienceBin[] = [];
  const strength = scenario.audienceEffect.strength;
  const curve = scenario.audienceEffect.curve;
  const weights: number[] = [];
  for (let lo = 1; lo <= 8192; lo *= 4) {
    const mid = Math.sqrt(lo * lo * 4);
    const boost =
      curve === 'small-stream-boost'
        ? mid ** -strength
        : curve === 'inverted-u'
          ? Math.exp(
              -((Math.log10(mid) - Math.log10(scenario.audienceEffect.peakAudience)) ** 2) * strength * 2,
            )
          : curve === 'rising'
            ? mid ** (strength / 2)
            : 1;
    const viewerHours = viewers * 0.01 * Math.sqrt(mid) * (0.9 + 0.2 * rng());
    // curveMultiplier is optional in the contract; the fixture reports it like the engine does.
    bins.push({
      audienceMin: lo,
      audienceMax: lo * 4,
      viewerHours,
      gifts: 0,
      coins: 0,
      curveMultiplier: boost,
    } as AudienceBin);
    weights.push(viewerHours * boost);
  }
  const total = weights.reduce((s, x) => s + x, 0);
  bins.forEach((b, i) => {
    b.gifts = Math.round(((gifts * weights[i]) / total) * (0.85 + 0.3 * rng()));
    b.coins = b.gifts * 18;
  });
  return bins;
}

function injectViolations(rep: ReplicationResult, count: number): void {
  rep.invariants.violationCount = count;
  rep.invariants.violations = Array.from({ length: Math.min(count, 3) }, (_, i) => ({
    invariant: 5 as const,
    seq: 100 + i,
    opId: `purchase-${100 + i}`,
    accounts: ['platform:net'],
    expected: 99,
    found: 98,
    message: 'gross ≠ store fee + payment fee + net (off by 1 cent)',
  }));
}

/**
 * A run folder as `giftlab run` writes it (summary.json and kpis.csv), for `compare` tests. kpis.csv
 * comes in the shapes the reader accepts: wide as reports/csv writes it (replication, events, a column
 * per KPI, then mean / ci95Low / ci95High / sd rows), tidy (kpi, replication, value), or summary only.
 */
export function writeRunFolder(
  run: RunResult,
  dir: string,
  options: { kpisCsv?: 'tidy' | 'wide' | 'summary-only' } = {},
): void {
  mkdirSync(dir, { recursive: true });
  const n = run.replications.length;
  const kpis = Object.fromEntries(
    KPI_NAMES.map((k) => [
      k,
      n === 1 ? run.kpiStats[k].mean : { mean: run.kpiStats[k].mean, ci95: run.kpiStats[k].ci95 },
    ]),
  );
  const violations = run.replications.reduce((s, r) => s + r.invariants.violationCount, 0);
  const summary = {
    scenario: run.scenario,
    seed: run.seed,
    replications: n,
    events: run.events,
    wallSeconds: run.wallSeconds,
    kpis,
    invariants: { checked: run.replications[0].invariants.checked, violations },
  };
  writeFileSync(join(dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  const shape = options.kpisCsv ?? 'tidy';
  let csv: string;
  if (shape === 'wide') {
    // As reports/csv writes it: a row per replication, then summary rows (mean, CI bounds, sd).
    const rows: (string | number)[][] = run.replications.map((r) => [
      r.replication,
      r.events,
      ...KPI_NAMES.map((k) => r.kpis[k]),
    ]);
    rows.push(['mean', '', ...KPI_NAMES.map((k) => run.kpiStats[k].mean)]);
    rows.push(['ci95Low', '', ...KPI_NAMES.map((k) => run.kpiStats[k].ci95[0])]);
    rows.push(['ci95High', '', ...KPI_NAMES.map((k) => run.kpiStats[k].ci95[1])]);
    rows.push(['sd', '', ...KPI_NAMES.map((k) => run.kpiStats[k].sd)]);
    csv = `replication,events,${KPI_NAMES.join(',')}\n${rows.map((r) => r.join(',')).join('\n')}\n`;
  } else if (shape === 'tidy') {
    const rows = run.replications.flatMap((r) => KPI_NAMES.map((k) => `${k},${r.replication},${r.kpis[k]}`));
    csv = `kpi,replication,value\n${rows.join('\n')}\n`;
  } else {
    csv = `kpi,value\n${KPI_NAMES.map((k) => `${k},${run.kpiStats[k].mean}`).join('\n')}\n`;
  }
  writeFileSync(join(dir, 'kpis.csv'), csv);
}
