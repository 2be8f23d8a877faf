/**
 * The rows of the run's CSV files, from a RunResult: one row per replication (and per interval,
 * creator, segment, audience bin, pack or gift), with the replication number first. Channel-keyed fields become one
 * column per channel, in the economy's channel order, so every replication has the same columns.
 *
 * Each file but kpis.csv is a list of columns, a column its header beside its cell: the one place a
 * column's name and value are written, so the header and the rows cannot fall out of step.
 */
import type { ReplicationResult, RunResult } from '../../experiments/result.ts';
import { PURCHASE_FEES } from '../../sim/economy/rules.ts';
import { KPI_NAMES } from '../../sim/kpis.ts';
import type { Cell } from './write-csv.ts';

export interface Table {
  header: string[];
  rows: () => Iterable<Cell[]>;
}

/** A column of a file: its header, and its cell in the row of `item`. */
type Column<T> = readonly [header: string, cell: (item: T) => Cell];

/** The fields of T that are cells as they are (not a channel's record, not an optional value). */
type CellField<T> = { [K in keyof T]: T[K] extends Cell ? K : never }[keyof T] & string;

/** Columns whose headers are fields of the rows, read as they are. */
function fields<T>(...names: readonly CellField<T>[]): Column<T>[] {
  return names.map((name) => [name, (item: T) => item[name] as Cell]);
}

/** A column per channel, `<prefix>_<channel>`, from a field keyed by channel id (0 where it has none). */
function perChannel<T>(
  prefix: string,
  channels: readonly string[],
  of: (item: T) => Record<string, number>,
): Column<T>[] {
  return channels.map((c) => [`${prefix}_${c}`, (item: T) => of(item)[c] ?? 0]);
}

/** A file of a row per replication and item of its `items`: the replication number, then the columns. */
function perReplication<T>(
  run: RunResult,
  items: (r: ReplicationResult) => readonly T[],
  columns: readonly Column<T>[],
): Table {
  return {
    header: ['replication', ...columns.map(([header]) => header)],
    *rows() {
      for (const r of run.replications)
        for (const item of items(r)) yield [r.replication, ...columns.map(([, cell]) => cell(item))];
    },
  };
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

type Interval = ReplicationResult['timeseries'][number];

export function timeseriesTable(run: RunResult, channels: readonly string[]): Table {
  return perReplication(run, (r) => r.timeseries, [
    ...fields<Interval>('startSeconds'),
    ...perChannel<Interval>('bookingsCents', channels, (i) => i.bookingsCents),
    ...perChannel<Interval>('coinsSold', channels, (i) => i.coinsSold),
    ...fields<Interval>(
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
    ),
  ]);
}

export function creatorsTable(run: RunResult): Table {
  return perReplication(
    run,
    (r) => r.creators,
    fields<ReplicationResult['creators'][number]>(
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
    ),
  );
}

type Segment = ReplicationResult['viewers'][number];

export function viewersTable(run: RunResult, channels: readonly string[]): Table {
  return perReplication(run, (r) => r.viewers, [
    ...fields<Segment>(
      'segment',
      'viewers',
      'payers',
      'purchases',
      'spentCents',
      'coinsBought',
      'giftsSent',
      'coinsGifted',
    ),
    ...perChannel<Segment>('purchases', channels, (v) => v.purchasesByChannel),
  ]);
}

/** cohorts.csv: viewers who arrived during the run, by cohort (day of arrival) and day of age. */
export function cohortsTable(run: RunResult): Table {
  return perReplication(
    run,
    (r) => r.cohorts,
    fields<ReplicationResult['cohorts'][number]>(
      'cohortDay',
      'ageDay',
      'newViewers',
      'activeViewers',
      'payers',
      'grossCents',
      'cumulativeGrossPerViewerCents',
      'newPayers',
    ),
  );
}

type Bin = ReplicationResult['audience'][number];

/** audience.csv: the audience-size effect as observed, with the curve the scenario assumed. */
export function audienceTable(run: RunResult): Table {
  return perReplication(run, (r) => r.audience, [
    ...fields<Bin>('audienceMin', 'audienceMax', 'viewerHours', 'gifts', 'coins'),
    ['giftsPerViewerHour', (b) => (b.viewerHours > 0 ? b.gifts / b.viewerHours : 0)],
    ['curveMultiplier', (b) => b.curveMultiplier ?? ''],
  ]);
}

type Pack = ReplicationResult['packs'][number];

/**
 * packs.csv: per channel and pack (the economy's order), purchases, coins and the money they made —
 * gross, each fee of the fee table, net — and what 1,000 of the pack's coins net after fees.
 */
export function packsTable(run: RunResult): Table {
  return perReplication(run, (r) => r.packs, [
    ...fields<Pack>('channel', 'pack', 'coinsPerPack', 'priceCents', 'purchases', 'coinsSold', 'grossCents'),
    ...PURCHASE_FEES.map(({ answer }): Column<Pack> => [answer, (p) => p.feesCents[answer]]),
    ...fields<Pack>('netRevenueCents', 'netCentsPerThousandCoins'),
  ]);
}

/** gifts.csv: per gift (the economy's order), sends, gifts counted one by one, coins and diamonds. */
export function giftsTable(run: RunResult): Table {
  return perReplication(
    run,
    (r) => r.gifts,
    fields<ReplicationResult['gifts'][number]>(
      'gift',
      'coinsPerGift',
      'sends',
      'giftCount',
      'coinsSpent',
      'diamondsCredited',
    ),
  );
}
