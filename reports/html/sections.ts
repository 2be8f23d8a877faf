/**
 * The report's text sections as HTML strings: header with headline cards, the scenario's key
 * assumptions, the KPI table and the invariants. Every user-supplied string goes through `escapeHtml`.
 */

import { assert } from '../../common/assert.ts';
import { BP, MILLI } from '../../common/limits.ts';
import type { PrecisionReport } from '../../experiments/precision.ts';
import type { RunResult } from '../../experiments/result.ts';
import { creatorSlots, modelParams, streamResponse } from '../../scenarios/model-params.ts';
import { populationNote } from '../../scenarios/schema/population.ts';
import { marketEventLabel, marketEvents } from '../../scenarios/schema/promotions.ts';
import type { Scenario } from '../../scenarios/schema/scenario.ts';
import { PURCHASE_FEES } from '../../sim/economy/rules.ts';
import { INVARIANT_IDS, INVARIANTS, type InvariantId, type Violation } from '../../sim/invariants/types.ts';
import { CASH_FLOW_KPIS, KPI_NAMES, KPI_PERIOD_TEXT, type KpiName, kpiInfo } from '../../sim/kpis.ts';
import {
  bpPercent,
  count,
  dollars,
  dollarsLike,
  durationText,
  kpiLabel,
  kpiLabelInText,
  kpiUnit,
  kpiValue,
  milliCents,
  percent,
} from '../format.ts';
import { runWarnings } from '../run-warnings.ts';
import { audienceCurveText } from './charts/audience-effect.ts';
import { escapeHtml } from './escape.ts';
import { channelFees } from './fee-text.ts';

export function headerSection(run: RunResult, scenario: Scenario, generatedAt?: Date): string {
  const n = run.replications.length;
  const k = run.kpiStats;
  const gross = k.grossBookingsCents.mean;
  const share = (cents: number) => (gross > 0 ? `${percent(cents / gross, 1)} of gross bookings` : '');
  const margin = k.platformMarginCents.mean;
  const meta = [
    ['seed', String(run.seed)],
    ['replications', count(n)],
    ['simulated', durationText(scenario.duration)],
    // With arrivals, `population.viewers` is who is there at the start, not the run's viewers.
    ...(arrives(scenario)
      ? [
          ['viewers at the start', count(scenario.population.viewers)],
          ['viewers in all', count(k.viewers.mean)],
        ]
      : [['viewers', count(scenario.population.viewers)]]),
    ['creators', count(scenario.population.creators)],
    ['markets', count(scenario.population.markets)],
    // Viewers who never pay were counted, not simulated: the same distributions, another draw order.
    ...(scenario.population.crowd ? [['non-payers', 'a crowd'] as const] : []),
    ['events', count(run.events)],
    // No wall-clock time here: the page must be byte-identical however the run was split (shards, workers).
    ...(generatedAt
      ? [['generated', generatedAt.toISOString().replace('T', ' ').slice(0, 16) + ' UTC']]
      : []),
  ];
  // With replications, each card carries its 95 % CI: the first screen is read as exact otherwise.
  const ci = (kpi: KpiName, shown: (v: number) => string): Spread | undefined => {
    if (n < 2) return undefined;
    const { mean, ci95 } = k[kpi];
    const half = (ci95[1] - ci95[0]) / 2;
    return {
      half: mean !== 0 ? `±${percent(Math.abs(half / mean), 1)}` : undefined,
      low: shown(ci95[0]),
      high: shown(ci95[1]),
    };
  };
  // Money cards in one format, the gross's (not $11.4k beside $6,427).
  const money = (cents: number) => dollarsLike(cents, gross);
  const cards = [
    card(
      'Gross bookings',
      money(gross),
      `what viewers paid · ${n > 1 ? `mean of ${n}` : 'one run'}`,
      '',
      ci('grossBookingsCents', money),
    ),
    card(
      'Platform margin',
      money(margin),
      share(margin),
      margin >= 0 ? 'good' : 'bad',
      ci('platformMarginCents', money),
    ),
    card(
      'Creator earnings',
      money(k.creatorEarningsCents.mean),
      share(k.creatorEarningsCents.mean),
      '',
      ci('creatorEarningsCents', money),
    ),
    card(
      'Paying viewers',
      percent(k.payerConversion.mean, 2),
      `${count(k.payers.mean)} of ${count(k.viewers.mean)} viewers`,
      '',
      ci('payerConversion', (v) => percent(v, 2)),
    ),
    card(
      'ARPPU',
      dollars(k.arppuCents.mean),
      'gross bookings per paying viewer',
      '',
      ci('arppuCents', dollars),
    ),
    card(
      'Creator earnings Gini',
      // As the KPI table and the Lorenz chart write it (the card read 0.84 beside their 0.844).
      kpiValue('creatorEarningsGini', k.creatorEarningsGini.mean),
      `top 1 % of creators take ${percent(k.topCreatorShare1Pct.mean, 0)}`,
      '',
      ci('creatorEarningsGini', (v) => kpiValue('creatorEarningsGini', v)),
    ),
  ];
  const oneDraw =
    n === 1
      ? '<p class="note one-draw">One replication: these figures are one random draw, with no interval around them. Run with <code class="flag">--replications 5</code> or more for 95 % confidence intervals.</p>'
      : '';
  return `<header class="top">
<p class="eyebrow">giftlab simulation report</p>
<h1>${escapeHtml(scenario.name)}</h1>
${scenario.description ? `<p class="description">${escapeHtml(scenario.description.trim())}</p>` : ''}
${overridesNote(scenario.overrides)}
<ul class="meta">${meta.map(([key, v]) => `<li>${key} <b>${escapeHtml(v)}</b></li>`).join('')}</ul>
${run.precision === undefined ? '' : precisionNote(run.precision)}
${readWithCare(runWarnings(scenario, run), 'run')}
<div class="cards">${cards.join('')}</div>
${oneDraw}
</header>`;
}

/** What a run or sweep warned of on stderr before it ran, where its reader will see it. */
export function readWithCare(warnings: readonly string[], of: 'run' | 'sweep'): string {
  if (warnings.length === 0) return '';
  const items = warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('');
  return `<div class="note"><b>Read with care</b> (as the ${of} warned when it ran):<ul>${items}</ul></div>`;
}

/**
 * What a run or a sweep (at every point, before any `--vary`) changed from the scenario file (`--set`,
 * `--seed`): the file's description above may give another scale.
 */
export function overridesNote(overrides: readonly string[] | undefined, of: 'run' | 'sweep' = 'run'): string {
  if (overrides === undefined || overrides.length === 0) return '';
  const list = overrides.map((o) => `<code>${escapeHtml(o)}</code>`).join(', ');
  const where =
    of === 'run' ? 'this run (<code>--set</code>)' : 'this sweep (<code>--set</code>), at every point';
  return `<p class="description overrides">Changed from the file for ${where}: ${list}. Figures below are this ${of}'s; the description above is the file's.</p>`;
}

/** `run --precision`: how many replications the target took (or that the cap stopped the run). */
function precisionNote(p: PrecisionReport): string {
  const n = p.batches.at(-1) as number;
  const target = percent(p.target, p.target * 100 < 1 ? 2 : 0);
  const kpis = p.status
    .map((s) => {
      const rel = Number.isFinite(s.relativeHalfWidth)
        ? `±${percent(s.relativeHalfWidth, 2)}`
        : 'unbounded (mean 0)';
      return `${kpiLabelInText(s.kpi)} ${rel}${s.met ? '' : ` (about ${Number.isFinite(s.needed) ? count(s.needed) : '∞'} replications needed)`}`;
    })
    .join(', ');
  const text = p.reached
    ? `Precision: ${count(n)} replications were needed for every named KPI's 95 % CI half-width to be within ±${target} of its mean (batches ${p.batches.join(' → ')}): ${kpis}.`
    : `Precision NOT reached: the cap of ${count(p.cap)} replications stopped the run short of ±${target} of the mean (batches ${p.batches.join(' → ')}): ${kpis}.`;
  return `<p class="description" data-precision="${p.reached ? 'reached' : 'not-reached'}">${escapeHtml(text)}</p>`;
}

/** A card's 95 % CI: its half-width relative to the mean (when the mean is not 0) and its ends. */
interface Spread {
  half: string | undefined;
  low: string;
  high: string;
}

function card(label: string, value: string, sub: string, tone = '', spread?: Spread): string {
  const pm = spread?.half === undefined ? '' : ` <span class="pm">${escapeHtml(spread.half)}</span>`;
  const range =
    spread === undefined
      ? ''
      : `<div class="sub ci">95 % CI ${escapeHtml(spread.low)} – ${escapeHtml(spread.high)}</div>`;
  return `<div class="card ${tone}"><div class="label">${label}</div><div class="value">${escapeHtml(value)}${pm}</div>${range}<div class="sub">${escapeHtml(sub)}</div></div>`;
}

export function assumptionsSection(scenario: Scenario): string {
  const e = scenario.economy;
  const rows = e.channels
    .map((c) => {
      // The packs the scenario lists; promotions' variants (sim/model/timeline.ts) follow them.
      const listed = c.packs.slice(0, scenario.pricing.channels[c.id]?.packs.length ?? c.packs.length);
      const variants = c.packs.length - listed.length;
      const perCoin = listed.map((p) => p.priceCents / p.coins);
      const pref = scenario.viewers.channels[c.id];
      // A column per fee, in PURCHASE_FEES' order, as the table's head below.
      const fees = channelFees(c)
        .map((f) => `<td class="num">${f.rate ?? '—'}</td>`)
        .join('');
      return `<tr><th>${escapeHtml(c.id)}</th>${fees}
<td class="num">${listed.length}${variants > 0 ? ` (+${variants} promotional)` : ''}</td><td class="num">${Math.min(...perCoin).toFixed(3)}–${Math.max(...perCoin).toFixed(3)} ¢</td>
<td class="num">${dollars(Math.min(...listed.map((p) => p.priceCents)))}–${dollars(Math.max(...listed.map((p) => p.priceCents)))}</td>
<td class="num">${pref === undefined ? '—' : percent(pref / sumValues(scenario.viewers.channels), 0)}</td></tr>`;
    })
    .join('\n');
  const shareBp = e.creatorShareBp;
  const creatorCentsPerCoin = (shareBp / BP) * (e.diamondValueMilliCents / MILLI);
  const coinsPerDiamond = shareBp > 0 ? BP / shareBp : Number.POSITIVE_INFINITY;
  const diamondsPerDollar = (100 * MILLI) / e.diamondValueMilliCents;
  const v = scenario.viewers;
  const budget =
    v.budget.distribution === 'pareto'
      ? `Pareto, α ${v.budget.paretoAlpha}`
      : v.budget.distribution === 'lognormal'
        ? `lognormal, σ ${v.budget.lognormalSigma}`
        : String(v.budget.distribution);
  const facts: [string, string][] = [
    [
      'Creator share',
      `${bpPercent(shareBp)} of a gift's coins become diamonds (${Number(coinsPerDiamond.toFixed(2))} coins make 1 diamond)`,
    ],
    [
      'Diamond value',
      `${milliCents(e.diamondValueMilliCents)} per diamond (${count(diamondsPerDollar)} diamonds = $1)`,
    ],
    ['A gifted coin pays its creator', `${creatorCentsPerCoin.toFixed(3)} ¢`],
    [
      'Withdrawals',
      `from ${count(e.withdrawal.minDiamonds)} diamonds; fee ${bpPercent(e.withdrawal.feeBp)} + ${e.withdrawal.feeFixedCents} ¢; creators withdraw at ${count(scenario.creators.withdrawAtDiamonds)} diamonds`,
    ],
    ['Audience-size effect', audienceCurveText(scenario)],
    [
      'Audiences',
      `${populationNote(scenario.population)}; Zipf exponent ${scenario.population.creatorPopularityZipf} within a market; ${Number((scenario.creators.streamsPerDay * streamResponse(scenario)).toFixed(3))} stream(s) a day of ${scenario.creators.streamMinutes} min`,
    ],
    ...viewerLifeFact(scenario),
    ...creatorResponseFact(scenario),
    ...creatorLifeFact(scenario),
    ...promotionFacts(scenario),
    ...payerLifeFact(scenario),
    [
      'Payers',
      `${percent(v.payerShare, 1)} of viewers buy coins${scenario.demand === undefined ? '' : ' at the reference prices (see Demand)'}; budgets per day ${budget}, from ${dollars(v.budget.minCents)} up to ${dollars(v.budget.capCents)} a day`,
    ],
    demandFact(scenario),
    channelChoiceFact(scenario),
    [
      'Gifts',
      `${e.gifts.length} gifts from ${count(Math.min(...e.gifts.map((g) => g.coins)))} to ${count(Math.max(...e.gifts.map((g) => g.coins)))} coins; ${v.giftsPerHour} gifts an hour while watching (base rate)`,
    ],
    [
      'Time',
      `${durationText(scenario.duration)} simulated in ${durationText(scenario.intervalSeconds)} intervals; audience peaks at ${scenario.creators.diurnal.peakHour}:00`,
    ],
  ];
  const feeHeads = PURCHASE_FEES.map(
    (f) => `<th class="num">${f.label[0].toUpperCase()}${f.label.slice(1)}</th>`,
  ).join('');
  return `<section id="assumptions"><h2>Key assumptions</h2>
<p class="lede">What this scenario takes as given. Change any of them with <code>--set path=value</code> or sweep them.</p>
<table><thead><tr><th>Channel</th>${feeHeads}<th class="num">Packs</th><th class="num">List price per coin</th><th class="num">Pack prices</th><th class="num">Preferred by</th></tr></thead>
<tbody>${rows}</tbody></table>
<dl class="facts">${facts.map(([dt, dd]) => `<div><dt>${escapeHtml(dt)}</dt><dd>${escapeHtml(dd)}</dd></div>`).join('')}</dl>
</section>`;
}

/** A signed number as the report writes it: −2, 0.5. */
function signed(x: number): string {
  return String(x).replace(/^-/, '−');
}

/**
 * How demand responds to price (`demand:`): the elasticities, the reference each channel's price index is
 * taken against, and what the run's prices do to who pays — the assumption a price question rests on.
 */
function demandFact(scenario: Scenario): [string, string] {
  const d = scenario.demand;
  if (d === undefined)
    return [
      'Demand',
      'prices do not move who pays, and a budget in cents buys what it buys (no demand: block)',
    ];
  const ids = scenario.economy.channels.map((c) => c.id);
  const refs = ids.map((id) => {
    const r = d.referencePrices[id];
    return r === undefined ? `${id} none` : `${id} ${count(r.coins)} coins for ${dollars(r.priceCents)}`;
  });
  const market = modelParams(scenario).market;
  const at = (i: number) => {
    const state = market[i];
    return ids
      .map(
        (id, c) =>
          `${id} p ${state.priceIndex[c].toFixed(3)}, payer share × ${state.conversion[c].toFixed(3)}`,
      )
      .join('; ');
  };
  const changes =
    market.length > 1 ? `; after the last price change or bonus (above): ${at(market.length - 1)}` : '';
  return [
    'Demand',
    `the chance a viewer pays × p^${signed(d.conversionElasticity)} (published −1 to −4) and the coins a payer wants × p^${signed(d.intensityElasticity)} (−1: its spend in cents stays put), p the entry pack's price per coin over the reference (${refs.join(', ')}); at this run's prices: ${at(0)}${changes}`,
  ];
}

/** How creators' streams respond to their cut, when they do. */
function creatorResponseFact(scenario: Scenario): [string, string][] {
  const { elasticity, reference } = scenario.creators.earningsResponse;
  if (elasticity === 0 || reference === undefined) return [];
  return [
    [
      'Creators respond',
      `streams a day × (their cut of a coin ÷ ${(reference.creatorShare * reference.diamondValueCents).toFixed(3)} ¢)^${elasticity}: × ${streamResponse(scenario).toFixed(3)} here`,
    ],
  ];
}

/** Price changes, coin bonuses and the first-purchase bonus, when there are any. */
function promotionFacts(scenario: Scenario): [string, string][] {
  const ids = scenario.economy.channels.map((c) => c.id);
  const events = marketEvents(scenario, ids).map(
    (e) =>
      `${marketEventLabel(e, ids)} ${'endSeconds' in e ? `from ${durationText(e.atSeconds)} for ${durationText(e.endSeconds - e.atSeconds)}` : `from ${durationText(e.atSeconds)}`}`,
  );
  const first = scenario.pricing.firstPurchaseBonus;
  return [
    ...(events.length > 0
      ? ([['Promotions and price changes', events.join('; ')]] as [string, string][])
      : []),
    ...(first.bonus > 0
      ? ([
          [
            'First-purchase bonus',
            `+${percent(first.bonus, 0)} coins on a new viewer's first pack; conversion weight ${first.conversionWeight} (0: it does not change who pays)`,
          ],
        ] as [string, string][])
      : []),
  ];
}

/** Whether viewers arrive during the run (lifecycle.arrivalsPerDay, acquisition bursts). */
function arrives(scenario: Scenario): boolean {
  return scenario.lifecycle.arrivalsPerDay > 0 || scenario.events.some((e) => e.kind === 'acquisition-burst');
}

/** Viewers who arrive and leave, when any do: what a lifecycle run's size comes from. */
function viewerLifeFact(scenario: Scenario): [string, string][] {
  const { arrivalsPerDay, survival } = scenario.lifecycle;
  const bursts = scenario.events.flatMap((e) =>
    e.kind === 'acquisition-burst'
      ? [`${count(e.viewers)} more over ${durationText(e.for)}, starting ${durationText(e.at)} into the run`]
      : [],
  );
  if (!arrives(scenario) && survival.length === 0) return [];
  const parts = [
    arrivalsPerDay > 0 ? `${count(arrivalsPerDay)} new viewers a day` : 'nobody arrives a day',
    ...(bursts.length > 0 ? [`acquisition bursts: ${bursts.join('; ')}`] : []),
    survival.length > 0
      ? `still a viewer after ${survival.map((p) => `${p.day} d ${percent(p.share, 0)}`).join(', ')}, then leaving for good`
      : 'nobody leaves',
  ];
  return [
    [
      "Viewers' arrivals and departures",
      `${parts.join('; ')} (the ${count(scenario.population.viewers)} at the start are in steady state)`,
    ],
  ];
}

/** Creators who join and leave, when any do. */
function creatorLifeFact(scenario: Scenario): [string, string][] {
  const { joinsPerDay, careerDays } = scenario.lifecycle.creators;
  if (joinsPerDay === 0 && careerDays === 0) return [];
  const joins = creatorSlots(scenario) - scenario.population.creators;
  const parts = [
    joinsPerDay > 0 ? `${joinsPerDay} join a day (${count(joins)} over the run)` : 'nobody joins',
    careerDays > 0 ? `streaming for ${careerDays} days on average, then leaving` : 'nobody leaves',
  ];
  return [["Creators' careers", parts.join('; ')]];
}

/** Payers' lives, when any is on. */
function payerLifeFact(scenario: Scenario): [string, string][] {
  const p = scenario.lifecycle.payers;
  if (p.firstPurchaseDays === 0 && p.payingDays === 0 && p.tenureGrowth === 0) return [];
  const parts = [
    p.firstPurchaseDays > 0
      ? `first purchase after ${p.firstPurchaseDays} days on average`
      : 'first purchase at once',
    p.payingDays > 0 ? `paying for ${p.payingDays} days on average` : 'paying for ever',
    p.tenureGrowth !== 0 ? `budgets × ${1 + p.tenureGrowth} per 30 days of paying` : 'budgets constant',
  ];
  return [["Payers' lives", parts.join('; ')]];
}

/** How payers choose a channel: demand.channelChoice's logit, or the previous one-off switch. */
function channelChoiceFact(scenario: Scenario): [string, string] {
  const choice = scenario.demand?.channelChoice;
  if (choice === undefined || choice.rule === 'switch') {
    const s = scenario.viewers.webSwitch;
    return [
      'Web switch',
      `${percent(s.probability, 0)} of app-preferring payers buy on the web when it is at least ${percent(s.priceGap, 0)} cheaper per coin`,
    ];
  }
  return [
    'Channel choice',
    `${percent(choice.friction, 0)} of payers never leave the channel they prefer; the others choose by list price per coin (logit, sensitivity ${choice.priceSensitivity}) among the channels whose cheapest pack fits a day's budget`,
  ];
}

function sumValues(record: Record<string, number>): number {
  return Object.values(record).reduce((s, x) => s + x, 0) || 1;
}

/** The report's KPI table, by group: every KPI of the catalogue in exactly one (asserted below). */
export const KPI_GROUPS: readonly [string, readonly KpiName[]][] = [
  ['Money', [...CASH_FLOW_KPIS, 'arppuCents', 'arppuPerDayCents']],
  [
    'Coins and gifts',
    ['coinsPurchased', 'coinsSpent', 'unspentCoins', 'breakageShare', 'giftsSent', 'giftsPerPayerPerDay'],
  ],
  ['People', ['viewers', 'payers', 'payerConversion']],
  ['Concentration', ['creatorEarningsGini', 'topCreatorShare1Pct', 'topPayerShare1Pct']],
  ['New viewers, by day of age', KPI_NAMES.filter((k) => kpiInfo(k)?.period === 'cohort')],
];
{
  // A KPI added to the catalogue is placed in a group here, not left out of the report or lumped in 'Other'.
  const grouped = KPI_GROUPS.flatMap(([, names]) => names);
  const missing = KPI_NAMES.filter((k) => grouped.filter((g) => g === k).length !== 1);
  assert(missing.length === 0, `every KPI in one group of the report's table: ${missing.join(', ')}`);
}

export function kpiSection(run: RunResult): string {
  const n = run.replications.length;
  const head =
    n > 1
      ? '<tr><th>KPI</th><th>Covers</th><th class="num">Mean</th><th class="num">95 % CI</th><th class="num">± of mean</th><th class="num">SD</th></tr>'
      : '<tr><th>KPI</th><th>Covers</th><th class="num">Value</th></tr>';
  const columns = n > 1 ? 6 : 3;
  const body = KPI_GROUPS.map(([group, names]) => {
    const groupRow = `<tr class="group"><th colspan="${columns}">${group}</th></tr>`;
    // A group with no value at all gets one row saying so: a one-day run showed its five cohort KPIs
    // as rows of dashes, mixed – and —, as if something had failed.
    if (names.every((name) => Number.isNaN(run.kpiStats[name].mean)))
      return `${groupRow}<tr><td colspan="${columns}" class="note">${absentGroupText(names)}</td></tr>`;
    const rows = names.map((name) => {
      const s = run.kpiStats[name];
      const info = kpiInfo(name);
      const what = info === undefined ? '' : ` title="${escapeHtml(`${info.measures}; ${info.reading}`)}"`;
      const period = info === undefined ? '' : KPI_PERIOD_TEXT[info.period];
      const label = `<th${what}>${kpiLabel(name)} <code>${name}</code></th><td>${period}</td>`;
      if (n <= 1) return `<tr>${label}<td class="num">${kpiValue(name, s.mean)}</td></tr>`;
      const half = (s.ci95[1] - s.ci95[0]) / 2;
      const rel =
        s.mean !== 0 && Number.isFinite(half) ? `±${((half / Math.abs(s.mean)) * 100).toFixed(1)} %` : '—';
      return `<tr>${label}<td class="num">${kpiValue(name, s.mean)}</td><td class="num">${Number.isNaN(s.mean) ? '–' : `${kpiValue(name, s.ci95[0])} – ${kpiValue(name, s.ci95[1])}`}</td><td class="num">${rel}</td><td class="num">${kpiValue(name, s.sd)}</td></tr>`;
    });
    return `${groupRow}${rows.join('')}`;
  }).join('\n');
  const lede =
    n > 1
      ? `Means over ${n} replications with t-based 95 % confidence intervals of the mean (symmetric: with few replications one can reach below 0 for a quantity that cannot, saying only that the mean is not known to be above 0). Money in US dollars, computed from integer cents.`
      : 'One replication: each value is a single random draw. Money in US dollars, computed from integer cents.';
  return `<section id="kpis"><h2>Key performance indicators</h2><p class="lede">${lede} ${unitsNote()}</p>
<table><thead>${head}</thead><tbody>${body}</tbody></table></section>`;
}

/** The one row of a KPI group none of whose KPIs has a value in the run. */
function absentGroupText(names: readonly KpiName[]): string {
  const codes = names.map((name) => `<code>${name}</code>`).join(', ');
  const cohort = names.every((name) => kpiInfo(name)?.period === 'cohort');
  const why = cohort
    ? ' They follow the viewers who arrive during the run from day 1 of their age; this run has none that lived to it.'
    : '';
  return `No value in this run (empty in kpis.csv): ${codes}.${why}`;
}

function unitsNote(): string {
  const shares = KPI_NAMES.filter((k) => kpiUnit(k) === 'share').length;
  return shares > 0 ? 'Shares in percent; the Gini coefficient from 0 (equal) to 1 (one takes all).' : '';
}

export function invariantsSection(run: RunResult): string {
  const perId = new Map<InvariantId, { checkedIn: number; violations: number }>();
  const shown: Violation[] = [];
  let total = 0;
  for (const rep of run.replications) {
    total += rep.invariants.violationCount;
    for (const id of rep.invariants.checked) {
      const acc = perId.get(id) ?? { checkedIn: 0, violations: 0 };
      acc.checkedIn++;
      perId.set(id, acc);
    }
    for (const v of rep.invariants.violations) {
      const acc = perId.get(v.invariant) ?? { checkedIn: 0, violations: 0 };
      acc.violations++;
      perId.set(v.invariant, acc);
      if (shown.length < 10) shown.push(v);
    }
  }
  const n = run.replications.length;
  const entries = run.replications.reduce((s, r) => s + r.invariants.entries, 0);
  const status =
    total === 0
      ? `<span class="status ok">✓ All checked invariants held in ${n === 1 ? 'the run' : `all ${n} replications`}</span>`
      : `<span class="status fail">✗ ${count(total)} invariant violation${total === 1 ? '' : 's'}</span>`;
  const rows = INVARIANT_IDS.map((id) => {
    const s = perId.get(id);
    const cell =
      s === undefined
        ? '<td class="skip">not checked by a simulation</td>'
        : s.violations > 0
          ? `<td class="fail">${count(s.violations)} violation(s)</td>`
          : `<td class="ok">held${n > 1 ? ` (${s.checkedIn}/${n})` : ''}</td>`;
    return `<tr><th class="num">${id}</th><td>${escapeHtml(INVARIANTS[id])}</td>${cell}</tr>`;
  }).join('');
  const list = shown.length
    ? `<h3>First violations</h3><table><thead><tr><th>#</th><th>Entry</th><th>Operation</th><th>Expected</th><th>Found</th><th>Message</th></tr></thead><tbody>${shown
        .map(
          (v) =>
            `<tr><td>${v.invariant}</td><td>${v.seq ?? '—'}</td><td>${escapeHtml(v.opId ?? '—')}</td><td>${escapeHtml(String(v.expected))}</td><td>${escapeHtml(String(v.found))}</td><td>${escapeHtml(v.message)}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '';
  return `<section id="invariants"><h2>Invariants</h2>
<p class="lede">The ledger's rules, checked at the end of every replication over ${count(entries)} journal entries.</p>
<p>${status}</p>
<table><thead><tr><th class="num">#</th><th>Invariant</th><th>Result</th></tr></thead><tbody>${rows}</tbody></table>${list}</section>`;
}

/** A violation of a run among many (a sweep's points, a calibration's candidates). */
export interface ManyRunsViolation {
  /** The point or candidate it happened at. */
  at: number;
  replication: number;
  invariant: InvariantId;
  message: string;
}

/**
 * The invariants section of a report over many runs (a sweep, a calibration): what was checked, in how
 * many runs, and each violation with the point or candidate (`atLabel`) and replication it happened at.
 */
export function manyRunsInvariantsSection(
  inv: { checked: readonly InvariantId[]; violationCount: number },
  violations: readonly ManyRunsViolation[],
  runs: number,
  atLabel: string,
  mode: string,
): string {
  const status =
    inv.violationCount === 0
      ? `<span class="status ok">✓ All checked invariants held in all ${count(runs)} runs</span>`
      : `<span class="status fail">✗ ${count(inv.violationCount)} invariant violation(s)</span>`;
  const list = violations
    .map(
      (v) =>
        `<tr><td class="num">${v.at}</td><td class="num">${v.replication}</td><td>${v.invariant}: ${escapeHtml(INVARIANTS[v.invariant])}</td><td>${escapeHtml(v.message)}</td></tr>`,
    )
    .join('');
  const table = list
    ? `<table><thead><tr><th class="num">${atLabel}</th><th class="num">Replication</th><th>Invariant</th><th>Message</th></tr></thead><tbody>${list}</tbody></table>`
    : '';
  return `<section id="invariants"><h2>Invariants</h2>
<p class="lede">Invariants ${inv.checked.join(', ')} checked at the end of every run (mode ${escapeHtml(mode)}).</p>
<p>${status}</p>${table}</section>`;
}
