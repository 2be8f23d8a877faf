/**
 * The report's packs table: what 1,000 coins of each pack net the platform after the store's and the
 * card processor's cuts, next to what each pack sold (mean over replications, from packs.csv's rows).
 * A pack's figure is the same in every replication (each purchase of it is split the same way); a
 * channel's is its packs' weighted by the coins they sold, so it moves with the mix.
 */
import type { PackRow, RunResult } from '../../experiments/result.ts';
import { netPerThousandCoins } from '../../experiments/rows.ts';
import type { Scenario } from '../../scenarios/schema/scenario.ts';
import { PURCHASE_FEES } from '../../sim/economy/rules.ts';
import { count, dollars, dollarsShort, NBSP } from '../format.ts';
import { replicationsText } from './charts/chart.ts';
import { escapeHtml } from './escape.ts';
import { feeText } from './fee-text.ts';
import { channelColors } from './theme.ts';

export const PACKS_ID = 'packs';
export const PACKS_TITLE = 'Net revenue per 1,000 coins by channel and pack';

/** One pack's mean over replications (a channel's total has `pack` null). */
export interface PackMean {
  channel: string;
  pack: string | null;
  coinsPerPack: number;
  priceCents: number;
  /** Cents the platform keeps of one purchase (null for a channel's total). */
  netPerPurchaseCents: number | null;
  /** The pack's own figure; for a channel, net revenue over coins sold (NaN when nothing sold). */
  netCentsPerThousandCoins: number;
  purchases: number;
  coinsSold: number;
  grossCents: number;
  netRevenueCents: number;
}

export interface ChannelPacks {
  channel: string;
  packs: PackMean[];
  total: PackMean;
}

/** packs.csv's rows as means over replications, by channel in the run's order, packs in theirs. */
export function packMeans(run: RunResult): ChannelPacks[] {
  const n = Math.max(1, run.replications.length);
  const byKey = new Map<string, { first: PackRow; sums: PackRow[] }>();
  for (const rep of run.replications) {
    for (const row of rep.packs) {
      const key = `${row.channel}\u0000${row.pack}`;
      const entry = byKey.get(key) ?? { first: row, sums: [] };
      entry.sums.push(row);
      byKey.set(key, entry);
    }
  }
  const channels = new Map<string, ChannelPacks>();
  for (const { first, sums } of byKey.values()) {
    const mean = (f: (r: PackRow) => number) => sums.reduce((s, r) => s + f(r), 0) / n;
    const pack: PackMean = {
      channel: first.channel,
      pack: first.pack,
      coinsPerPack: first.coinsPerPack,
      priceCents: first.priceCents,
      // Whole cents by construction (the split's net); the rounding only drops the division's noise.
      netPerPurchaseCents: Math.round((first.netCentsPerThousandCoins * first.coinsPerPack) / 1000),
      netCentsPerThousandCoins: first.netCentsPerThousandCoins,
      purchases: mean((r) => r.purchases),
      coinsSold: mean((r) => r.coinsSold),
      grossCents: mean((r) => r.grossCents),
      netRevenueCents: mean((r) => r.netRevenueCents),
    };
    const channel = channels.get(pack.channel) ?? {
      channel: pack.channel,
      packs: [],
      total: emptyTotal(pack.channel),
    };
    channel.packs.push(pack);
    channels.set(pack.channel, channel);
  }
  for (const c of channels.values()) {
    const t = c.total;
    for (const p of c.packs) {
      t.purchases += p.purchases;
      t.coinsSold += p.coinsSold;
      t.grossCents += p.grossCents;
      t.netRevenueCents += p.netRevenueCents;
    }
    t.netCentsPerThousandCoins = netPerThousandCoins(t.netRevenueCents, t.coinsSold);
  }
  return [...channels.values()];
}

function emptyTotal(channel: string): PackMean {
  return {
    channel,
    pack: null,
    coinsPerPack: 0,
    priceCents: 0,
    netPerPurchaseCents: null,
    netCentsPerThousandCoins: Number.NaN,
    purchases: 0,
    coinsSold: 0,
    grossCents: 0,
    netRevenueCents: 0,
  };
}

export function packsSection(run: RunResult, scenario: Scenario): string {
  const channels = packMeans(run);
  const fees = scenario.economy.channels.map((c) => `${escapeHtml(c.id)}: ${feeText(c)}`).join('; ');
  const lede = `What the platform keeps of 1,000 coins of each pack once the ${PURCHASE_FEES.map((f) => f.label).join(' and the ')} are taken (${fees}), and what each pack sold (${replicationsText(run.replications.length)}). A pack's figure is fixed by its price and its channel's fees; a channel's weighs its packs by the coins they sold. Per replication in <code>packs.csv</code>.`;
  if (channels.length === 0) {
    return `<section id="${PACKS_ID}"><h2>${PACKS_TITLE}</h2><p class="lede">${lede}</p>
<div class="empty">No packs recorded in this run.</div></section>`;
  }
  const colors = channelColors(channels.map((c) => c.channel));
  const max = Math.max(
    1,
    ...channels.flatMap((c) =>
      [c.total, ...c.packs].map((p) => p.netCentsPerThousandCoins).filter(Number.isFinite),
    ),
  );
  const body = channels
    .map((c, i) => {
      const color = colors.range[i];
      const total = row(c.total, max, color, true);
      return `${total}${c.packs.map((p) => row(p, max, color, false)).join('')}`;
    })
    .join('\n');
  return `<section id="${PACKS_ID}"><h2>${PACKS_TITLE}</h2>
<p class="lede">${lede}</p>
<table class="packs"><thead><tr><th>Pack</th><th class="num">Price</th><th class="num">Coins</th><th class="num">Net per purchase</th><th>Net per 1,000 coins</th><th class="num">Purchases</th><th class="num">Net revenue</th></tr></thead>
<tbody>${body}</tbody></table></section>`;
}

function row(p: PackMean, max: number, color: string, total: boolean): string {
  const v = p.netCentsPerThousandCoins;
  const width = Number.isFinite(v) ? Math.max(0, Math.min(100, (v / max) * 100)) : 0;
  const bar = `<span class="bar" style="width:${width.toFixed(1)}%;background:${color}"></span>`;
  const value = Number.isFinite(v) ? dollars(v) : '–';
  const cells = [
    `<td class="num">${total ? '' : dollars(p.priceCents)}</td>`,
    `<td class="num">${total ? '' : count(p.coinsPerPack)}</td>`,
    `<td class="num">${p.netPerPurchaseCents === null ? '' : `${dollars(p.netPerPurchaseCents)}${NBSP}(${percent0(p.netPerPurchaseCents, p.priceCents)})`}</td>`,
    `<td><div class="meter"><span class="track">${bar}</span><b>${value}</b></div></td>`,
    `<td class="num">${count(p.purchases)}</td>`,
    `<td class="num">${dollarsShort(p.netRevenueCents)}</td>`,
  ].join('');
  const label = total
    ? `<th><span class="swatch" style="background:${color}"></span> ${escapeHtml(p.channel)} · all packs</th>`
    : `<th><code>${escapeHtml(p.pack ?? '')}</code></th>`;
  return `<tr${total ? ' class="channel"' : ''} data-pack="${escapeHtml(`${p.channel}/${p.pack ?? '*'}`)}">${label}${cells}</tr>`;
}

function percent0(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((part / whole) * 100)}${NBSP}%` : '–';
}
