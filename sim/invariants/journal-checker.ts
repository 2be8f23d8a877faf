/**
 * The invariant checker over a journal: feed it entries one at a time (an array, a file stream, a
 * server's pages), then `finish` with the target's stated balances and the clients' acks if there are
 * any. The same code runs in property tests, at the end of simulations and in the audit. It never
 * throws on bad data: a malformed entry is a violation.
 *
 * Which invariants need what (the economy's rules, acks) is the table in types.ts.
 */

import { BP, limits } from '../../common/limits.ts';
import { diamondsToCents, feesOf, PURCHASE_FEES, quoteWithdrawal } from '../economy/rules.ts';
import type { Economy, Unit } from '../economy/types.ts';
import { accountFamily, parseAccount } from '../ledger/accounts.ts';
import type { StatedBalance } from '../ledger/journal.ts';
import { entryShapeProblem, type JournalEntry, statedShapeProblem } from '../ledger/journal.ts';
import type { Ack } from './ack-format.ts';
import { type AckOptions, type JournaledOp, reconcileAcks } from './acks.ts';
import {
  type CheckInput,
  type CheckResult,
  checkableWith,
  type InvariantId,
  type Violation,
} from './types.ts';

export interface CheckerOptions extends AckOptions {
  economy?: Economy;
  maxViolations?: number;
}

// Its own unit order, not the ledger's UnitCode: the checker reads journals by their shape alone, so a
// change in how the ledger stores units cannot make it agree with a mistake.
const UNIT_INDEX: Record<Unit, number> = { COIN: 0, DIAMOND: 1, USD: 2 };

/**
 * What a creator's gifts so far allow its carried fraction to be, in 1/BP diamonds: [low, high]. From
 * the creator's first gift the carry is known exactly (low = high = Σ coins × share − Σ diamonds × BP);
 * after a violation it could be anything a sound target holds ([0, BP − 1]), so that a target fixed
 * since (a database kept across builds) is judged by its own gifts, not by the excess it once credited
 * (a review: every later gift to an over-credited creator was reported again).
 */
interface GiftShare {
  lowBp: number;
  highBp: number;
}

export class JournalChecker {
  private readonly economy: Economy | undefined;
  private readonly maxViolations: number;
  private readonly options: CheckerOptions;
  private readonly violations: Violation[] = [];
  private violationCount = 0;
  /** Every violation counted by invariant, kept or not (the kept list stops at maxViolations). */
  private readonly violationsBy: Partial<Record<InvariantId, number>> = {};
  private entryCount = 0;
  private readonly balances = new Map<string, Float64Array>();
  private readonly ops = new Map<string, JournaledOp>();
  private readonly shares = new Map<string, GiftShare>();
  private readonly journalSums = new Float64Array(3);
  private coinsPurchased = 0;
  private coinsSpent = 0;
  private coinsRefunded = 0;

  constructor(options: CheckerOptions = {}) {
    this.options = options;
    this.economy = options.economy;
    this.maxViolations = options.maxViolations ?? limits.violationsKeptMax;
  }

  push(value: unknown): void {
    this.entryCount++;
    const problem = entryShapeProblem(value);
    if (problem !== undefined) {
      const e = (typeof value === 'object' && value !== null ? value : {}) as Partial<JournalEntry>;
      this.report({
        invariant: 1,
        seq: Number.isSafeInteger(e.seq) ? (e.seq as number) : null,
        opId: typeof e.opId === 'string' ? e.opId : null,
        accounts: [],
        expected: `${problem.field}: ${problem.expected}`,
        found: problem.found,
        message: `malformed entry: ${problem.field} should be ${problem.expected}, found ${problem.found}`,
      });
      return;
    }
    this.check(value as JournalEntry);
  }

  pushAll(entries: Iterable<unknown>): this {
    for (const e of entries) this.push(e);
    return this;
  }

  finish(inputs: { stated?: Iterable<StatedBalance>; acks?: Iterable<Ack> } = {}): CheckResult {
    this.checkJournalTotals();
    if (inputs.stated !== undefined) this.checkStated(inputs.stated);
    const available = new Set<CheckInput>();
    if (this.economy !== undefined) available.add('economy');
    if (inputs.acks !== undefined) {
      reconcileAcks(inputs.acks, this.ops, this.options, (v) => this.report(v));
      available.add('acks');
    }
    const checked = checkableWith(available);
    return {
      checked,
      entries: this.entryCount,
      violationCount: this.violationCount,
      violationsBy: { ...this.violationsBy },
      violations: this.violations,
    };
  }

  // ── per entry ───────────────────────────────────────────────────────────────────────────────

  private check(entry: JournalEntry): void {
    this.checkBalanced(entry);
    this.checkOnce(entry);
    const before = this.creatorDiamondsBefore(entry);
    this.apply(entry);
    this.checkNonNegative(entry);
    if (entry.kind === 'purchase') this.coinsPurchased += this.viewerCoinDelta(entry);
    if (entry.kind === 'gift') this.coinsSpent -= this.viewerCoinDelta(entry);
    if (entry.kind === 'refund') this.coinsRefunded -= this.viewerCoinDelta(entry);
    if (this.economy === undefined) return;
    if (entry.kind === 'gift') this.checkGiftShare(entry, this.economy);
    if (entry.kind === 'purchase' || entry.kind === 'refund') this.checkCash(entry, this.economy);
    if (entry.kind === 'withdrawal') this.checkWithdrawal(entry, this.economy, before);
  }

  private checkBalanced(entry: JournalEntry): void {
    const sums = [0, 0, 0];
    for (const p of entry.postings) sums[UNIT_INDEX[p.unit]] += p.amount;
    for (const unit of ['COIN', 'DIAMOND', 'USD'] as const) {
      const sum = sums[UNIT_INDEX[unit]];
      if (sum === 0) continue;
      this.reportAt(
        entry,
        1,
        accountsIn(entry, unit),
        0,
        sum,
        `${entry.kind} ${entry.opId}: ${unit} postings sum to ${sum}, not 0`,
      );
    }
  }

  private checkOnce(entry: JournalEntry): void {
    const first = this.ops.get(entry.opId);
    if (first === undefined) {
      this.ops.set(entry.opId, { seq: entry.seq, kind: entry.kind, count: 1 });
      return;
    }
    first.count++;
    this.reportAt(
      entry,
      6,
      [],
      'one entry per operation id',
      `entries ${first.seq} and ${entry.seq}`,
      `operation ${entry.opId} was applied again (entry ${entry.seq}, first ${first.seq})`,
    );
  }

  private apply(entry: JournalEntry): void {
    for (const p of entry.postings) {
      const u = UNIT_INDEX[p.unit];
      this.balanceOf(p.account)[u] += p.amount;
      this.journalSums[u] += p.amount;
    }
  }

  private checkNonNegative(entry: JournalEntry): void {
    for (const p of entry.postings) {
      if (p.amount >= 0) continue;
      const family = accountFamily(p.account);
      const guarded =
        (family === 'viewer' && p.unit === 'COIN') || (family === 'creator' && p.unit === 'DIAMOND');
      if (!guarded) continue;
      const balance = this.balanceOf(p.account)[UNIT_INDEX[p.unit]];
      if (balance >= 0) continue;
      // An overdrawing withdrawal is invariant 8's to report.
      if (entry.kind === 'withdrawal' && family === 'creator' && this.economy !== undefined) continue;
      this.reportAt(
        entry,
        2,
        [p.account],
        '>= 0',
        balance,
        `${p.account} ${p.unit} went to ${balance} after ${entry.kind} ${entry.opId}`,
      );
    }
  }

  private checkGiftShare(entry: JournalEntry, economy: Economy): void {
    const coins = -this.viewerCoinDelta(entry);
    const creator = entry.postings.find((p) => accountFamily(p.account) === 'creator')?.account;
    if (creator === undefined) {
      this.reportAt(entry, 4, [], 'a creator account', 'none', `gift ${entry.opId} credits no creator`);
      return;
    }
    const diamonds = sumWhere(entry, (p) => p.account === creator && p.unit === 'DIAMOND');
    let share = this.shares.get(creator);
    if (share === undefined) {
      share = { lowBp: 0, highBp: 0 };
      this.shares.set(creator, share);
    }
    const owedBp = coins * economy.creatorShareBp;
    const low = share.lowBp + owedBp - diamonds * BP;
    const high = share.highBp + owedBp - diamonds * BP;
    if (high < 0) {
      // No carry a sound target could hold explains this many diamonds.
      this.reportAt(
        entry,
        4,
        [creator],
        `<= ${Math.floor((share.highBp + owedBp) / BP)} diamonds`,
        diamonds,
        `gift ${entry.opId}: ${creator} was credited more diamonds than the creator share of the coins and the carried fraction`,
      );
      this.unknownCarry(share);
    } else if (low >= BP) {
      this.reportAt(
        entry,
        4,
        [creator],
        '< 1 diamond carried',
        `${low / BP} diamonds`,
        `gift ${entry.opId}: ${creator} lost a fraction of a diamond to rounding`,
      );
      this.unknownCarry(share);
    } else {
      share.lowBp = Math.max(0, low);
      share.highBp = Math.min(BP - 1, high);
    }
  }

  /** After a violation the carry is unknown: any a sound target could hold. */
  private unknownCarry(share: GiftShare): void {
    share.lowBp = 0;
    share.highBp = BP - 1;
  }

  private checkCash(entry: JournalEntry, economy: Economy): void {
    const sign = entry.kind === 'purchase' ? 1 : -1;
    const buyers = entry.postings.find((p) => accountFamily(p.account) === 'buyers');
    const gross = -sign * sumWhere(entry, (p) => accountFamily(p.account) === 'buyers');
    const fees = PURCHASE_FEES.map(
      (f) => sign * sumWhere(entry, (p) => accountFamily(p.account) === f.family),
    );
    const net = sign * sumWhere(entry, (p) => p.account === 'platform:cash');
    const coins = sign * this.viewerCoinDelta(entry);
    const channelId = buyers === undefined ? '' : parseAccount(buyers.account).key;
    const channel = economy.channels.find((c) => c.id === channelId);
    const label = `${entry.kind} ${entry.opId}`;
    if (channel === undefined) {
      this.reportAt(
        entry,
        5,
        buyers ? [buyers.account] : [],
        'a known channel',
        channelId || 'none',
        `${label}: no known purchase channel`,
      );
      return;
    }
    const parts = fees.reduce((a, b) => a + b, 0) + net;
    if (gross !== parts) {
      const named = PURCHASE_FEES.map((f, i) => `${f.label} ${fees[i]}`).join(' + ');
      this.reportAt(entry, 5, [], gross, parts, `${label}: ${named} + net ${net} ≠ gross ${gross}`);
    }
    const expected = feesOf(channel, gross);
    PURCHASE_FEES.forEach((f, i) => {
      if (fees[i] !== expected[i])
        this.reportAt(
          entry,
          5,
          [`${f.family}:${channel.id}`],
          expected[i],
          fees[i],
          `${label}: ${f.label} on ${gross}¢ should be ${expected[i]}¢`,
        );
    });
    if (!channel.packs.some((p) => p.priceCents === gross && p.coins === coins)) {
      this.reportAt(
        entry,
        5,
        [],
        `a ${channel.id} pack`,
        `${coins} coins for ${gross}¢`,
        `${label}: no ${channel.id} pack sells ${coins} coins for ${gross}¢`,
      );
    }
  }

  private checkWithdrawal(entry: JournalEntry, economy: Economy, before: Map<string, number>): void {
    const debit = entry.postings.find(
      (p) => accountFamily(p.account) === 'creator' && p.unit === 'DIAMOND' && p.amount < 0,
    );
    if (debit === undefined) {
      this.reportAt(
        entry,
        8,
        [],
        'a creator diamond debit',
        'none',
        `withdrawal ${entry.opId} debits no creator`,
      );
      return;
    }
    const diamonds = -debit.amount;
    const balance = before.get(debit.account) ?? 0;
    const label = `withdrawal ${entry.opId}`;
    if (diamonds > balance)
      this.reportAt(
        entry,
        8,
        [debit.account],
        `<= ${balance}`,
        diamonds,
        `${label}: ${diamonds} diamonds taken from a balance of ${balance}`,
      );
    // Past the limit the quote's arithmetic is not exact; no sound ledger gets there.
    if (diamonds > limits.withdrawalDiamondsMax) {
      this.reportAt(
        entry,
        8,
        [debit.account],
        `<= ${limits.withdrawalDiamondsMax}`,
        diamonds,
        `${label}: ${diamonds} diamonds is over the withdrawal limit`,
      );
      return;
    }
    if (diamonds < economy.withdrawal.minDiamonds)
      this.reportAt(
        entry,
        8,
        [debit.account],
        `>= ${economy.withdrawal.minDiamonds}`,
        diamonds,
        `${label}: ${diamonds} diamonds is under the minimum`,
      );
    const quote = quoteWithdrawal(economy, diamonds);
    const gross = -sumWhere(entry, (p) => p.account === 'platform:cash');
    const net = sumWhere(entry, (p) => p.account === debit.account && p.unit === 'USD');
    const fee = sumWhere(entry, (p) => p.account === 'platform:withdrawal_fees');
    if (quote.diamonds !== diamonds || gross !== diamondsToCents(economy.diamondValueMilliCents, diamonds)) {
      this.reportAt(
        entry,
        8,
        [debit.account],
        quote.grossCents,
        gross,
        `${label}: ${diamonds} diamonds should pay ${quote.grossCents}¢ gross`,
      );
    } else if (fee !== quote.feeCents || net !== quote.netCents) {
      this.reportAt(
        entry,
        8,
        [debit.account],
        `fee ${quote.feeCents}¢, net ${quote.netCents}¢`,
        `fee ${fee}¢, net ${net}¢`,
        `${label}: withdrawal fee or net payout is wrong`,
      );
    }
  }

  // ── whole journal ───────────────────────────────────────────────────────────────────────────

  private checkJournalTotals(): void {
    for (const unit of ['COIN', 'DIAMOND', 'USD'] as const) {
      const sum = this.journalSums[UNIT_INDEX[unit]];
      if (sum !== 0)
        this.reportAt(null, 1, [], 0, sum, `the journal's ${unit} postings sum to ${sum}, not 0`);
    }
    let outstanding = 0;
    for (const [account, b] of this.balances) if (accountFamily(account) === 'viewer') outstanding += b[0];
    const expected = this.coinsPurchased - this.coinsSpent - this.coinsRefunded;
    if (outstanding !== expected) {
      this.reportAt(
        null,
        3,
        [],
        expected,
        outstanding,
        `viewers hold ${outstanding} coins; purchased ${this.coinsPurchased} − spent ${this.coinsSpent} − refunded ${this.coinsRefunded} = ${expected}`,
      );
    }
  }

  private checkStated(stated: Iterable<StatedBalance>): void {
    let statedViewerCoins = 0;
    let anyViewer = false;
    const named = new Set<string>();
    for (const s of stated) {
      const problem = statedShapeProblem(s);
      if (problem !== undefined) {
        this.reportAt(null, 3, [], 'a stated balance', 'malformed', `malformed stated balance: ${problem}`);
        continue;
      }
      const fromJournal = this.balances.get(s.account)?.[UNIT_INDEX[s.unit]] ?? 0;
      named.add(`${s.unit}|${s.account}`);
      if (accountFamily(s.account) === 'viewer' && s.unit === 'COIN') {
        statedViewerCoins += s.balance;
        anyViewer = true;
      }
      if (s.balance !== fromJournal) {
        this.reportAt(
          null,
          3,
          [s.account],
          fromJournal,
          s.balance,
          `${s.account} states ${s.balance} ${s.unit} but its journal adds up to ${fromJournal}`,
        );
      }
    }
    // A balance left out of the stated list is a zero balance (balance tables list non-zero ones).
    for (const [account, b] of this.balances) {
      for (const unit of ['COIN', 'DIAMOND', 'USD'] as const) {
        const fromJournal = b[UNIT_INDEX[unit]];
        if (fromJournal === 0 || named.has(`${unit}|${account}`)) continue;
        this.reportAt(
          null,
          3,
          [account],
          fromJournal,
          0,
          `${account} states no ${unit} balance but its journal adds up to ${fromJournal}`,
        );
      }
    }
    const expected = this.coinsPurchased - this.coinsSpent - this.coinsRefunded;
    if (anyViewer && statedViewerCoins !== expected) {
      this.reportAt(
        null,
        3,
        [],
        expected,
        statedViewerCoins,
        `viewers' stated coins total ${statedViewerCoins}; the journal's flows give ${expected}`,
      );
    }
  }

  // ── helpers ─────────────────────────────────────────────────────────────────────────────────

  private balanceOf(account: string): Float64Array {
    let b = this.balances.get(account);
    if (b === undefined) {
      b = new Float64Array(3);
      this.balances.set(account, b);
    }
    return b;
  }

  private creatorDiamondsBefore(entry: JournalEntry): Map<string, number> {
    const before = new Map<string, number>();
    if (entry.kind !== 'withdrawal') return before;
    for (const p of entry.postings) {
      if (p.unit === 'DIAMOND' && accountFamily(p.account) === 'creator') {
        before.set(p.account, this.balances.get(p.account)?.[1] ?? 0);
      }
    }
    return before;
  }

  private viewerCoinDelta(entry: JournalEntry): number {
    return sumWhere(entry, (p) => p.unit === 'COIN' && accountFamily(p.account) === 'viewer');
  }

  /** A violation at `entry`, or over the whole journal (`null`). */
  private reportAt(
    entry: JournalEntry | null,
    invariant: InvariantId,
    accounts: string[],
    expected: string | number,
    found: string | number,
    message: string,
  ): void {
    const seq = entry?.seq ?? null;
    this.report({ invariant, seq, opId: entry?.opId ?? null, accounts, expected, found, message });
  }

  private report(v: Violation): void {
    this.violationCount++;
    this.violationsBy[v.invariant] = (this.violationsBy[v.invariant] ?? 0) + 1;
    if (this.violations.length < this.maxViolations) this.violations.push(v);
  }
}

/** Checks a whole journal at once. */
export function checkJournal(
  entries: Iterable<unknown>,
  options: CheckerOptions = {},
  inputs: { stated?: Iterable<StatedBalance>; acks?: Iterable<Ack> } = {},
): CheckResult {
  return new JournalChecker(options).pushAll(entries).finish(inputs);
}

function sumWhere(entry: JournalEntry, keep: (p: JournalEntry['postings'][number]) => boolean): number {
  let sum = 0;
  for (const p of entry.postings) if (keep(p)) sum += p.amount;
  return sum;
}

function accountsIn(entry: JournalEntry, unit: Unit): string[] {
  return entry.postings.filter((p) => p.unit === unit).map((p) => p.account);
}
