/**
 * The KPIs of one replication, read from the ledger (money, coins, diamonds) and the agent tables
 * (who paid, how much). Units as in ARCHITECTURE.md; conversions use the economy's own rules.
 */
import { diamondsToCents, PURCHASE_FEES, type PurchaseFeeKpi } from '../sim/economy/rules.ts';
import type { CohortKpis } from '../sim/engine/cohorts.ts';
import type { ViewerOutcomes } from '../sim/engine/departed.ts';
import type { Kpis } from '../sim/kpis.ts';
import type { Ledger } from '../sim/ledger/ledger.ts';
import type { Creators } from '../sim/model/creators.ts';
import { gini, topShare } from './inequality.ts';

/** Diamonds each creator earned (balance plus withdrawn), ascending. */
export function sortedCreatorDiamonds(ledger: Ledger, creators: Creators): Float64Array {
  const out = new Float64Array(creators.count);
  for (let c = 0; c < creators.count; c++) out[c] = ledger.diamondsOf(c) + creators.diamondsWithdrawn[c];
  return out.sort();
}

/** What each viewer who bought anything spent, ascending. */
export function sortedPayerSpend(viewers: ViewerOutcomes): Float64Array {
  let payers = 0;
  for (let i = 0; i < viewers.records; i++) if (viewers.id(i) >= 0 && viewers.purchases(i) > 0) payers++;
  const out = new Float64Array(payers);
  let k = 0;
  for (let i = 0; i < viewers.records; i++)
    if (viewers.id(i) >= 0 && viewers.purchases(i) > 0) out[k++] = viewers.spentCents(i);
  return out.sort();
}

export function computeKpis(
  ledger: Ledger,
  /** Viewers the run stands for (agents and crowd: Simulation.viewerCount). */
  viewerCount: number,
  creatorDiamonds: Float64Array,
  payerSpend: Float64Array,
  /** Paying viewer-days (Recorder.payerDays): the daily KPIs' denominator. */
  payerDays: number,
  cohorts: CohortKpis,
): Kpis {
  const economy = ledger.economy;
  let gross = 0;
  const fees = PURCHASE_FEES.map(() => 0);
  for (let ch = 0; ch < economy.channels.length; ch++) {
    const cash = ledger.channelCash(ch);
    gross += cash.grossCents;
    cash.feeCents.forEach((fee, i) => {
      fees[i] += fee;
    });
  }
  const t = ledger.totals;
  const net = gross - fees.reduce((a, b) => a + b, 0);
  const feeKpis = Object.fromEntries(PURCHASE_FEES.map((f, i) => [f.kpi, fees[i]])) as Record<
    PurchaseFeeKpi,
    number
  >;
  const earnings = diamondsToCents(economy.diamondValueMilliCents, t.diamondsCredited);
  const payers = payerSpend.length;
  const unspent = t.coinsPurchased - t.coinsSpent - t.coinsRefunded;
  return {
    grossBookingsCents: gross,
    ...feeKpis,
    netRevenueCents: net,
    creatorEarningsCents: earnings,
    creatorPayoutsCents: t.payoutsNetCents,
    withdrawalFeesCents: t.withdrawalFeesCents,
    // What the platform keeps: net revenue less what it owes creators, plus what it charged them to withdraw.
    platformMarginCents: net - earnings + t.withdrawalFeesCents,
    coinsPurchased: t.coinsPurchased,
    coinsSpent: t.coinsSpent,
    unspentCoins: unspent,
    giftsSent: t.gifts,
    viewers: viewerCount,
    payers,
    payerConversion: payers / viewerCount,
    arppuCents: payers === 0 ? 0 : gross / payers,
    creatorEarningsGini: gini(creatorDiamonds),
    topCreatorShare1Pct: topShare(creatorDiamonds, 0.01),
    topPayerShare1Pct: topShare(payerSpend, 0.01),
    arppuPerDayCents: payers === 0 ? 0 : gross / payerDays,
    giftsPerPayerPerDay: payers === 0 ? 0 : t.gifts / payerDays,
    ...cohorts,
    breakageShare: t.coinsPurchased === 0 ? 0 : unspent / t.coinsPurchased,
  };
}
