/**
 * Ledger and checker throughput: postings per second in the gift hot loop (without and with the journal,
 * and with idempotency keys), and entries per second through the invariant checker (the journal checker
 * over a pre-built journal, and the state checker over a large ledger). Figures only, nothing asserted.
 *
 *   npx tsx bench/ledger.bench.ts          (or `npm run bench -- ledger`)
 *   BENCH_QUICK=1 npx tsx bench/ledger.bench.ts   (shorter runs, smaller journal)
 */
import os from 'node:os';
import { Bench, type Task } from 'tinybench';
import type { Economy } from '../sim/economy/types.ts';
import { checkLedgerState, JournalChecker } from '../sim/invariants/index.ts';
import { Status } from '../sim/kernel/status.ts';
import type { JournalEntry } from '../sim/ledger/journal.ts';
import { Ledger, type LedgerOptions } from '../sim/ledger/ledger.ts';

const quick = process.env.BENCH_QUICK === '1';

/** The economy of the benches: the test economy's shape, with a 5-coin gift worth 2.5 diamonds. */
const economy: Economy = {
  channels: [
    {
      id: 'app',
      storeFeeBp: 3000,
      paymentFeeBp: 0,
      paymentFeeFixedCents: 0,
      packs: [{ id: 'c1400', coins: 1400, priceCents: 1999 }],
    },
    {
      id: 'web',
      storeFeeBp: 0,
      paymentFeeBp: 290,
      paymentFeeFixedCents: 30,
      packs: [{ id: 'c1750', coins: 1750, priceCents: 1500 }],
    },
  ],
  gifts: [
    { id: 'rose', coins: 1 },
    { id: 'panda', coins: 5 },
    { id: 'concert', coins: 500 },
  ],
  creatorShareBp: 5000,
  diamondValueMilliCents: 500,
  withdrawal: { minDiamonds: 100, feeBp: 0, feeFixedCents: 0 },
};

const PANDA = 1;
const VIEWERS = 10_000;
const CREATORS = 1_000;
/** Gifts per timed iteration. */
const GIFTS = 20_000;
/** Entries in the journal the checker reads. */
const JOURNAL_ENTRIES = quick ? 50_000 : 200_000;

const timing = { time: quick ? 300 : 1500, iterations: quick ? 3 : 10, warmupIterations: 2, warmupTime: 100 };

/** A ledger whose viewers hold enough coins for many gift batches (funding is not timed). */
function fundedLedger(options: LedgerOptions): Ledger {
  const ledger = new Ledger(economy, { viewers: VIEWERS, creators: CREATORS, ...options });
  for (let v = 0; v < VIEWERS; v++) {
    for (let k = 0; k < 8; k++)
      ledger.purchase(v, v % 2, 0, 0, options.idempotency ? `fund-${v}-${k}` : undefined);
  }
  return ledger;
}

/** One batch of gifts; returns the postings written (a 5-coin gift at 50 % always posts 4). */
function giftBatch(ledger: Ledger, batch: number, keyed: boolean): number {
  const base = batch * GIFTS;
  for (let i = 0; i < GIFTS; i++) {
    const n = base + i;
    const status = ledger.gift(n % VIEWERS, (n * 7) % CREATORS, PANDA, 1, n, keyed ? `g${n}` : undefined);
    if (status !== Status.Ok) throw new Error(`gift ${n} refused: ${Status[status]}`);
  }
  return GIFTS * 4;
}

function giftLoopTask(bench: Bench, name: string, options: LedgerOptions, keyed: boolean): void {
  let ledger = fundedLedger(options);
  let batch = 0;
  bench.add(name, () => giftBatch(ledger, batch++, keyed), {
    beforeEach() {
      // 8 packs fund 8 × 1400+ coins per viewer = 2,240 five-coin gifts per viewer; refill well before that.
      if ((batch + 1) * GIFTS * 5 > VIEWERS * 8 * 1400 * 0.9) {
        ledger = fundedLedger(options);
        batch = 0;
      }
    },
  });
}

/** A journal like a day of gifting: purchases, gifts of all sizes, withdrawals, a few refunds. */
function buildJournal(entries: number): { ledger: Ledger; journal: JournalEntry[] } {
  const ledger = new Ledger(economy, { viewers: VIEWERS, creators: CREATORS });
  let n = 0;
  while (ledger.entryCount < entries) {
    const viewer = n % VIEWERS;
    if (n % 10 === 0) ledger.purchase(viewer, n % 2, 0, n, `p${n}`);
    else if (n % 97 === 0) ledger.withdraw((n * 7) % CREATORS, 200, n, `w${n}`);
    else if (n % 501 === 0) ledger.refund(`p${n - 1}`, n, `r${n}`);
    else ledger.gift(viewer, (n * 7) % CREATORS, n % 13 === 0 ? 2 : n % 3, 1, n, `g${n}`);
    n++;
  }
  return { ledger, journal: [...ledger.entries()].slice(0, entries) };
}

/** A journal-less ledger the size of a simulated population: every viewer buys, most give. */
function stateOnlyLedger(viewers: number): Ledger {
  const creators = viewers / 10;
  const ledger = new Ledger(economy, { journal: false, idempotency: false, viewers, creators });
  for (let v = 0; v < viewers; v++) {
    ledger.purchase(v, v % 2, 0, v);
    ledger.gift(v, (v * 7) % creators, v % 3, 1 + (v % 5), v);
  }
  return ledger;
}

function rate(task: Task | undefined, unitsPerIteration: number): number {
  const r = task?.result;
  if (r === undefined || r.state !== 'completed') throw new Error(`${task?.name ?? 'task'} did not complete`);
  return unitsPerIteration / (r.latency.p50 / 1000);
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

async function main(): Promise<void> {
  console.log(
    `ledger bench — ${os.availableParallelism()} cores (os.availableParallelism()), Node ${process.version}${quick ? ', quick' : ''}`,
  );

  const ledgerBench = new Bench({ name: 'ledger postings', ...timing });
  giftLoopTask(ledgerBench, 'gift loop, no journal', { journal: false, idempotency: false }, false);
  giftLoopTask(ledgerBench, 'gift loop, journal', { journal: true, idempotency: false }, false);
  giftLoopTask(
    ledgerBench,
    'gift loop, journal + idempotency keys',
    { journal: true, idempotency: true },
    true,
  );
  await ledgerBench.run();
  for (const task of ledgerBench.tasks) {
    const postings = rate(task, GIFTS * 4);
    console.log(`${task.name.padEnd(44)} ${fmt(postings)} postings/s (${fmt(postings / 4)} gifts/s)`);
  }

  const { ledger, journal } = buildJournal(JOURNAL_ENTRIES);
  const postings = journal.reduce((sum, e) => sum + e.postings.length, 0);
  console.log(`\njournal: ${fmt(journal.length)} entries, ${fmt(postings)} postings`);
  const checkBench = new Bench({ name: 'checker', ...timing, iterations: quick ? 2 : 5 });
  checkBench.add('JournalChecker, journal only', () => new JournalChecker().pushAll(journal).finish());
  checkBench.add('JournalChecker, economy + stated balances', () =>
    new JournalChecker({ economy }).pushAll(journal).finish({ stated: ledger.balances() }),
  );
  const stateLedger = stateOnlyLedger(quick ? 100_000 : 1_000_000);
  checkBench.add('checkLedgerState', () => checkLedgerState(stateLedger));
  await checkBench.run();
  const [bare, full, state] = checkBench.tasks;
  for (const task of [bare, full]) {
    console.log(
      `${task.name.padEnd(44)} ${fmt(rate(task, journal.length))} entries/s (${fmt(rate(task, postings))} postings/s)`,
    );
  }
  console.log(
    `${state.name.padEnd(44)} ${fmt(rate(state, stateLedger.viewers + stateLedger.creators))} accounts/s (${fmt(stateLedger.viewers)} viewers + ${fmt(stateLedger.creators)} creators after ${fmt(stateLedger.entryCount)} entries, no journal)`,
  );
  const violations = new JournalChecker({ economy }).pushAll(journal).finish().violationCount;
  if (violations !== 0) throw new Error(`the bench journal has ${violations} violations`);
}

await main();
