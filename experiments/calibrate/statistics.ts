/**
 * What a calibration target may name: every KPI of the catalogue (sim/kpis.ts), and a few ratios of them
 * that do not grow with the population — so that a platform's own figures (gifts per payer, bookings per
 * viewer) can be targets for a scenario of any size. A ratio is taken per replication, then averaged like
 * a KPI. One list; the target parser, the distance and calibration.csv read it.
 */
import { KPI_NAMES, type KpiName, type Kpis } from '../../sim/kpis.ts';

export const RATIOS = [
  {
    name: 'giftsPerPayer',
    label: 'Gifts per payer',
    what: 'giftsSent ÷ payers (0 without payers)',
    of: (k: Kpis) => (k.payers > 0 ? k.giftsSent / k.payers : 0),
  },
  {
    name: 'coinsPerGift',
    label: 'Coins per gift',
    what: 'coinsSpent ÷ giftsSent (0 without gifts)',
    of: (k: Kpis) => (k.giftsSent > 0 ? k.coinsSpent / k.giftsSent : 0),
  },
  {
    name: 'bookingsPerViewerCents',
    label: 'Gross bookings per viewer',
    what: 'grossBookingsCents ÷ viewers',
    of: (k: Kpis) => (k.viewers > 0 ? k.grossBookingsCents / k.viewers : 0),
  },
] as const;

export type RatioName = (typeof RATIOS)[number]['name'];
export type StatisticName = KpiName | RatioName;

export const STATISTIC_NAMES: readonly StatisticName[] = [...KPI_NAMES, ...RATIOS.map((r) => r.name)];

export function isStatistic(name: string): name is StatisticName {
  return (STATISTIC_NAMES as readonly string[]).includes(name);
}

/** A replication's KPIs with the ratios added. */
export function statisticsOf(kpis: Kpis): Record<StatisticName, number> {
  const out = { ...kpis } as Record<StatisticName, number>;
  for (const r of RATIOS) out[r.name] = r.of(kpis);
  return out;
}
