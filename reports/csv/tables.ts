/**
 * The rows of the run's CSV files, from a RunResult: one row per replication (and per interval,
 * creator, segment, audience bin, pack or gift), with the replication number first. Channel-keyed fields become one
 * column per channel, in the economy's channel order, so every replication has the same columns.
 */
import type { RunResult } from '../../experiments/result.ts';
import { PURCHASE_FEES } from '../../sim/economy/rules.ts';
import { KPI_NAMES } from '../../sim/kpis.ts';
import type { Cell } from './write-csv.ts';

export interface Table {
  header: string[];
  rows: () => Iterable<Cell[]>;
}

/**
 * kpis.csv, wide: a row per replication, then the mean, the 95 % CI bounds and the sd across them. One
 * replication has no spread: its CI and sd cells are empty, not a zero-width interval at the mean.
 */
export function kpisTable(run: RunResult): Table {
  const header = ['replication', 'events', ...KPI_NAMES];
  const spread = (value: number): Cell => (run.replications.length < 2 ? '' : value);
  return {
    header,
    *rows() {
      for (const r of run.replications) yield [r.replication, r.events, ...KPI_NAMES.map((k) => r.kpis[k])];
      const events = run.replications.map((r) => r.events);
      const meanEvents = events.reduce((a, b) => a + b, 0) / events.length;
      yield ['mean', meanEvents, ...KPI_NAMES.map((k) => run.kpiStats[k].mean)];
      yield ['ci95Low', '', ...KPI_NAMES.map((k) => spread(run.kpiStats[k].ci95[0]))];
      yield ['ci95High', '', ...KPI_NAMES.map((k) => spread(run.kpiStats[k].ci95[1]))];
      yield ['sd', '', ...KPI_NAMES.map((k) => spread(run.kpiStats[k].sd))];
    },
  };
}

export function timeseriesTable(run: RunResult, channels: readonly string[]): Table {
  const header = [
    'replication',
    'startSeconds',
    ...channels.map((c) => `bookingsCents_${c}`),
    ...channels.map((c) => `coinsSold_${c}`),
    'purchases',
    'gifts',
    'coinsSpent',
    'diamondsCredited',
    'withdrawals',
    'activeStreams',
    'activeViewers',
    'viewersActive',
    'payersActive',
    'creatorsPresent',
  ];
  return {
    header,
    *rows() {
      for (const r of run.replications) {
        for (const i of r.timeseries) {
          yield [
            r.replication,
            i.startSeconds,
            ...channels.map((c) => i.bookingsCents[c] ?? 0),
            ...channels.map((c) => i.coinsSold[c] ?? 0),
            i.purchases,
            i.gifts,
            i.coinsSpent,
            i.diamondsCredited,
            i.withdrawals,
            i.activeStreams,
            i.activeViewers,
            i.viewersActive,
            i.payersActive,
            i.creatorsPresent,
          ];
        }
      }
    },
  };
}

export function creatorsTable(run: RunResult): Table {
  const columns = [
    'creator',
    'rank',
    'streams',
    'giftsReceived',
    'coinsReceived',
    'diamondsEarned',
    'earningsCents',
    'withdrawnCents',
    'peakAudience',
    'joinedSeconds',
    'leftSeconds',
  ] as const;
  return {
    header: ['replication', ...columns],
    *rows() {
      for (const r of run.replications)
        for (const c of r.creators) yield [r.replication, ...columns.map((k) => c[k])];
    },
  };
}

export function viewersTable(run: RunResult, channels: readonly string[]): Table {
  const columns = [
    'segment',
    'viewers',
    'payers',
    'purchases',
    'spentCents',
    'coinsBought',
    'giftsSent',
    'coinsGifted',
  ] as const;
  return {
    header: ['replication', ...columns, ...channels.map((c) => `purchases_${c}`)],
    *rows() {
      for (const r of run.replications) {
        for (const v of r.viewers) {
          yield [
            r.replication,
            ...columns.map((k) => v[k]),
            ...channels.map((c) => v.purchasesByChannel[c] ?? 0),
          ];
        }
      }
    },
  };
}

/** cohorts.csv: viewers who arrived during the run, by cohort (day of arrival) and day of age. */
export function cohortsTable(run: RunResult): Table {
  const columns = [
    'cohortDay',
    'ageDay',
    'newViewers',
    'activeViewers',
    'payers',
    'grossCents',
    'cumulativeGrossPerViewerCents',
    'newPayers',
  ] as const;
  return {
    header: ['replication', ...columns],
    *rows() {
      for (const r of run.replications)
        for (const c of r.cohorts) yield [r.replication, ...columns.map((k) => c[k])];
    },
  };
}

/** audience.csv: the audience-size effect as observed, with the curve the scenario assumed. */
export function audienceTable(run: RunResult): Table {
  return {
    header: [
      'replication',
      'audienceMin',
      'audienceMax',
      'viewerHours',
      'gifts',
      'coins',
      'giftsPerViewerHour',
      'curveMultiplier',
    ],
    *rows() {
      for (const r of run.replications) {
        for (const b of r.audience) {
          yield [
            r.replication,
            b.audienceMin,
            b.audienceMax,
            b.viewerHours,
            b.gifts,
            b.coins,
            b.viewerHours > 0 ? b.gifts / b.viewerHours : 0,
            b.curveMultiplier ?? '',
          ];
        }
      }
    },
  };
}

/**
 * packs.csv: per channel and pack (the economy's order), purchases, coins and the money they made —
 * gross, each fee of the fee table, net — and what 1,000 of the pack's coins net after fees.
 */
export function packsTable(run: RunResult): Table {
  const fees = PURCHASE_FEES.map((f) => f.answer);
  return {
    header: [
      'replication',
      'channel',
      'pack',
      'coinsPerPack',
      'priceCents',
      'purchases',
      'coinsSold',
      'grossCents',
      ...fees,
      'netRevenueCents',
      'netCentsPerThousandCoins',
    ],
    *rows() {
      for (const r of run.replications) {
        for (const p of r.packs) {
          yield [
            r.replication,
            p.channel,
            p.pack,
            p.coinsPerPack,
            p.priceCents,
            p.purchases,
            p.coinsSold,
            p.grossCents,
            ...fees.map((f) => p.feesCents[f]),
            p.netRevenueCents,
            p.netCentsPerThousandCoins,
          ];
        }
      }
    },
  };
}

/** gifts.csv: per gift (the economy's order), sends, gifts counted one by one, coins and diamonds. */
export function giftsTable(run: RunResult): Table {
  const columns = ['gift', 'coinsPerGift', 'sends', 'giftCount', 'coinsSpent', 'diamondsCredited'] as const;
  return {
    header: ['replication', ...columns],
    *rows() {
      for (const r of run.replications)
        for (const g of r.gifts) yield [r.replication, ...columns.map((k) => g[k])];
    },
  };
}
