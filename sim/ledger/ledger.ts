/**
 * The in-memory double-entry ledger over COIN, DIAMOND and USD cents. Balances live in typed arrays
 * indexed by viewer and creator number; postings go through the shared layout; the journal is kept
 * column-wise (or not at all, for long simulations — balances and running totals stay checkable).
 *
 * Rules that a broken ledger could violate are small protected methods, so that mutant tests can break
 * exactly one of them and show that the invariant checker notices.
 */
import { assert } from '../../common/assert.ts';
import { limits } from '../../common/limits.ts';
import {
  giftCoins,
  giftDiamonds,
  newPurchaseSplit,
  nextCarry,
  type PurchaseSplit,
  quoteWithdrawal,
  splitPurchase,
  type WithdrawalQuote,
} from '../economy/rules.ts';
import type { Economy } from '../economy/types.ts';
import { assertEconomy } from '../economy/types.ts';
import {
  FAMILY_NAMES,
  Family,
  PLATFORM_ACCOUNT_NAMES,
  type PlatformAccount,
  UNIT_OF_CODE,
  type UnitCode,
} from './accounts.ts';
import { ColumnarJournal } from './columnar-journal.ts';
import type { EntryKind, JournalEntry } from './journal.ts';
import { type PostingSink, postGift, postPurchase, postRefund, postWithdrawal } from './layout.ts';
import { Status } from './status.ts';

export interface LedgerOptions {
  /** Keep every entry (default true). Without it the ledger keeps balances and running totals only. */
  journal?: boolean;
  /** Remember operation ids so that a replay returns the first result (default true). */
  idempotency?: boolean;
  /** Expected population, to size the arrays up front (they grow on demand). */
  viewers?: number;
  creators?: number;
  /** Assert after every entry that it balances (default true; mutant tests turn it off). */
  paranoid?: boolean;
  /** Called with every entry as it is written (materialised: for `--check all`, not the hot path). */
  onEntry?: (entry: JournalEntry) => void;
}

/** Running totals kept beside the balances, so that the state can be checked without a journal. */
export interface LedgerTotals {
  purchases: number;
  gifts: number;
  withdrawals: number;
  refunds: number;
  rejected: number;
  coinsPurchased: number;
  coinsSpent: number;
  coinsRefunded: number;
  diamondsCredited: number;
  diamondsWithdrawn: number;
  payoutsNetCents: number;
  withdrawalFeesCents: number;
  smallestWithdrawalDiamonds: number;
  /** Postings that left a viewer's coins or a creator's diamonds negative — read back by the state check. */
  viewerOverdrafts: number;
  creatorOverdrafts: number;
}

interface Remembered {
  fingerprint: string;
  status: Status;
  seq: number;
}

interface PurchaseRecord {
  viewer: number;
  channel: number;
  pack: number;
  refunded: boolean;
}

const FAMILY_BITS = 3;
const FAMILY_MASK = (1 << FAMILY_BITS) - 1;

export class Ledger implements PostingSink<number> {
  readonly economy: Economy;
  readonly totals: LedgerTotals = {
    purchases: 0,
    gifts: 0,
    withdrawals: 0,
    refunds: 0,
    rejected: 0,
    coinsPurchased: 0,
    coinsSpent: 0,
    coinsRefunded: 0,
    diamondsCredited: 0,
    diamondsWithdrawn: 0,
    payoutsNetCents: 0,
    withdrawalFeesCents: 0,
    smallestWithdrawalDiamonds: Number.POSITIVE_INFINITY,
    viewerOverdrafts: 0,
    creatorOverdrafts: 0,
  };
  /** Seq of the entry the last accepted operation wrote (or the first result's, on a replay). */
  lastSeq = 0;
  /** Whether the last call was answered from the idempotency record. */
  lastReplayed = false;

  protected viewerCoins: Float64Array;
  protected creatorCoins: Float64Array;
  protected creatorDiamonds: Float64Array;
  protected creatorPaidCents: Float64Array;
  /** Fraction of a diamond carried per creator, in 1/BP diamonds; always below BP. */
  protected creatorCarry: Int32Array;
  protected viewerCount = 0;
  protected creatorCount = 0;
  /** Platform accounts × units. */
  protected readonly platform = new Float64Array(PLATFORM_ACCOUNT_NAMES.length * 3);
  protected readonly buyers: Float64Array;
  protected readonly storeFees: Float64Array;
  protected readonly paymentFees: Float64Array;
  /** Packs bought and refunded per channel × pack, so that cash can be checked without a journal. */
  protected readonly packsBought: Float64Array;
  protected readonly packsRefunded: Float64Array;
  /** Sum of every balance per unit; zero whenever no entry is open. */
  protected readonly unitSums = new Float64Array(3);

  private readonly journal: ColumnarJournal | undefined;
  private readonly remembered: Map<string, Remembered> | undefined;
  private readonly purchasesByOp: Map<string, PurchaseRecord> | undefined;
  private readonly paranoid: boolean;
  private readonly onEntry: ((entry: JournalEntry) => void) | undefined;
  private readonly split: PurchaseSplit = newPurchaseSplit();
  private readonly entrySums = new Float64Array(3);
  private seqCounter = 0;

  constructor(economy: Economy, options: LedgerOptions = {}) {
    assertEconomy(economy);
    this.economy = economy;
    const viewers = Math.max(1, options.viewers ?? 16);
    const creators = Math.max(1, options.creators ?? 16);
    assert(viewers <= limits.viewersMax && creators <= limits.creatorsMax, 'population over limits');
    this.viewerCoins = new Float64Array(viewers);
    this.creatorCoins = new Float64Array(creators);
    this.creatorDiamonds = new Float64Array(creators);
    this.creatorPaidCents = new Float64Array(creators);
    this.creatorCarry = new Int32Array(creators);
    const channels = economy.channels.length;
    this.buyers = new Float64Array(channels);
    this.storeFees = new Float64Array(channels);
    this.paymentFees = new Float64Array(channels);
    this.packsBought = new Float64Array(channels * limits.packsPerChannelMax);
    this.packsRefunded = new Float64Array(channels * limits.packsPerChannelMax);
    this.paranoid = options.paranoid ?? true;
    this.onEntry = options.onEntry;
    const keepJournal = options.journal ?? true;
    this.journal = keepJournal ? new ColumnarJournal((id) => this.accountName(id), UNIT_OF_CODE) : undefined;
    const idempotency = options.idempotency ?? true;
    this.remembered = idempotency ? new Map() : undefined;
    this.purchasesByOp = keepJournal || idempotency ? new Map() : undefined;
  }

  // ── operations ──────────────────────────────────────────────────────────────────────────────

  purchase(viewer: number, channel: number, pack: number, at: number, opId?: string): Status {
    const ch = this.economy.channels[channel];
    if (ch === undefined) return this.reject(Status.UnknownChannel);
    if (ch.packs[pack] === undefined) return this.reject(Status.UnknownPack);
    if (!this.validId(viewer)) return this.reject(Status.BadAmount);
    const replay = this.replay(opId, `purchase|${viewer}|${channel}|${pack}`);
    if (replay !== undefined) return replay;
    const split = this.splitFor(channel, pack);
    this.ensureViewer(viewer);
    this.begin('purchase', at, opId);
    postPurchase(this, viewer, channel, split);
    this.end();
    this.totals.purchases++;
    this.packsBought[channel * limits.packsPerChannelMax + pack]++;
    this.totals.coinsPurchased += split.coins;
    if (opId !== undefined && this.purchasesByOp !== undefined) {
      this.purchasesByOp.set(opId, { viewer, channel, pack, refunded: false });
    }
    return this.remember(opId, Status.Ok);
  }

  gift(viewer: number, creator: number, gift: number, count: number, at: number, opId?: string): Status {
    const g = this.economy.gifts[gift];
    if (g === undefined) return this.reject(Status.UnknownGift);
    if (!Number.isSafeInteger(count) || count < 1 || count > limits.giftCountMax)
      return this.reject(Status.BadAmount);
    if (!this.validId(viewer) || !this.validId(creator)) return this.reject(Status.BadAmount);
    const replay = this.replay(opId, `gift|${viewer}|${creator}|${gift}|${count}`);
    if (replay !== undefined) return replay;
    const coins = giftCoins(g, count);
    this.ensureViewer(viewer);
    this.ensureCreator(creator);
    if (!this.canSpend(viewer, coins)) return this.remember(opId, this.reject(Status.InsufficientCoins));
    const carry = this.creatorCarry[creator];
    const diamonds = this.diamondsFor(coins, carry);
    this.creatorCarry[creator] = this.carryAfter(coins, carry);
    this.begin('gift', at, opId);
    postGift(this, viewer, creator, coins, diamonds);
    this.end();
    this.totals.gifts++;
    this.totals.coinsSpent += coins;
    this.totals.diamondsCredited += diamonds;
    return this.remember(opId, Status.Ok);
  }

  withdraw(creator: number, requestedDiamonds: number, at: number, opId?: string): Status {
    if (!Number.isSafeInteger(requestedDiamonds) || requestedDiamonds < 1)
      return this.reject(Status.BadAmount);
    if (requestedDiamonds > limits.withdrawalDiamondsMax || !this.validId(creator))
      return this.reject(Status.BadAmount);
    const replay = this.replay(opId, `withdrawal|${creator}|${requestedDiamonds}`);
    if (replay !== undefined) return replay;
    this.ensureCreator(creator);
    const quote = this.quote(requestedDiamonds);
    if (!this.meetsMinimum(quote)) return this.remember(opId, this.reject(Status.BelowMinimum));
    if (!this.canRedeem(creator, quote.diamonds))
      return this.remember(opId, this.reject(Status.InsufficientDiamonds));
    this.begin('withdrawal', at, opId);
    postWithdrawal(this, creator, quote);
    this.end();
    this.totals.withdrawals++;
    this.totals.smallestWithdrawalDiamonds = Math.min(this.totals.smallestWithdrawalDiamonds, quote.diamonds);
    this.totals.diamondsWithdrawn += quote.diamonds;
    this.totals.payoutsNetCents += quote.netCents;
    this.totals.withdrawalFeesCents += quote.feeCents;
    return this.remember(opId, Status.Ok);
  }

  /** Reverses a purchase named by its operation id; the viewer must still hold the coins. */
  refund(purchaseOpId: string, at: number, opId?: string): Status {
    const record = this.purchasesByOp?.get(purchaseOpId);
    if (record === undefined) return this.reject(Status.UnknownPurchase);
    const replay = this.replay(opId, `refund|${purchaseOpId}`);
    if (replay !== undefined) return replay;
    if (record.refunded) return this.remember(opId, this.reject(Status.AlreadyRefunded));
    const split = this.splitFor(record.channel, record.pack);
    if (!this.canSpend(record.viewer, split.coins))
      return this.remember(opId, this.reject(Status.InsufficientCoins));
    this.begin('refund', at, opId);
    postRefund(this, record.viewer, record.channel, split);
    this.end();
    record.refunded = true;
    this.totals.refunds++;
    this.packsRefunded[record.channel * limits.packsPerChannelMax + record.pack]++;
    this.totals.coinsRefunded += split.coins;
    return this.remember(opId, Status.Ok);
  }

  // ── rules a mutant may break ────────────────────────────────────────────────────────────────

  protected canSpend(viewer: number, coins: number): boolean {
    return this.viewerCoins[viewer] >= coins;
  }

  protected canRedeem(creator: number, diamonds: number): boolean {
    return this.creatorDiamonds[creator] >= diamonds;
  }

  protected meetsMinimum(quote: WithdrawalQuote): boolean {
    return quote.diamonds >= this.economy.withdrawal.minDiamonds && quote.diamonds > 0;
  }

  protected diamondsFor(coins: number, carry: number): number {
    return giftDiamonds(this.economy.creatorShareBp, coins, carry);
  }

  protected carryAfter(coins: number, carry: number): number {
    return nextCarry(this.economy.creatorShareBp, coins, carry);
  }

  protected splitFor(channel: number, pack: number): PurchaseSplit {
    const ch = this.economy.channels[channel];
    return splitPurchase(ch, ch.packs[pack], this.split);
  }

  protected quote(requestedDiamonds: number): WithdrawalQuote {
    return quoteWithdrawal(this.economy, requestedDiamonds);
  }

  /** Mutants override this to model a ledger that forgets an operation it already applied. */
  protected remember(opId: string | undefined, status: Status): Status {
    if (opId !== undefined && this.remembered !== undefined) {
      this.remembered.set(opId, { fingerprint: this.pendingFingerprint, status, seq: this.lastSeq });
    }
    return status;
  }

  // ── posting ─────────────────────────────────────────────────────────────────────────────────

  post(family: Family, key: number, unit: UnitCode, amount: number): void {
    switch (family) {
      case Family.Viewer:
        assert(unit === 0, 'viewers hold coins only');
        this.viewerCoins[key] += amount;
        if (this.viewerCoins[key] < 0) this.totals.viewerOverdrafts++;
        break;
      case Family.Creator:
        if (unit === 0) this.creatorCoins[key] += amount;
        else if (unit === 1) {
          this.creatorDiamonds[key] += amount;
          if (this.creatorDiamonds[key] < 0) this.totals.creatorOverdrafts++;
        } else this.creatorPaidCents[key] += amount;
        break;
      case Family.Platform:
        this.platform[key * 3 + unit] += amount;
        break;
      case Family.Buyers:
        this.buyers[key] += amount;
        break;
      case Family.StoreFees:
        this.storeFees[key] += amount;
        break;
      case Family.PaymentFees:
        this.paymentFees[key] += amount;
        break;
    }
    this.entrySums[unit] += amount;
    this.unitSums[unit] += amount;
    this.journal?.append(key * (FAMILY_MASK + 1) + family, unit, amount);
  }

  private pendingFingerprint = '';

  private begin(kind: EntryKind, at: number, opId: string | undefined): void {
    this.entrySums.fill(0);
    this.seqCounter++;
    const seq = this.journal?.begin(kind, at, opId) ?? this.seqCounter;
    assert(seq === this.seqCounter, 'journal and ledger disagree on seq');
    this.lastSeq = seq;
  }

  private end(): void {
    if (this.paranoid) {
      assert(
        this.entrySums[0] === 0 && this.entrySums[1] === 0 && this.entrySums[2] === 0,
        'entry does not balance',
      );
    }
    if (this.onEntry !== undefined && this.journal !== undefined)
      this.onEntry(this.journal.entry(this.lastSeq));
  }

  private replay(opId: string | undefined, fingerprint: string): Status | undefined {
    this.lastReplayed = false;
    if (opId === undefined || this.remembered === undefined) return undefined;
    this.pendingFingerprint = fingerprint;
    const first = this.remembered.get(opId);
    if (first === undefined) return undefined;
    if (first.fingerprint !== fingerprint) {
      this.lastSeq = 0;
      return Status.IdempotencyConflict;
    }
    this.lastReplayed = true;
    this.lastSeq = first.seq;
    return first.status;
  }

  private reject(status: Status): Status {
    this.totals.rejected++;
    this.lastSeq = 0;
    return status;
  }

  private validId(id: number): boolean {
    return Number.isSafeInteger(id) && id >= 0 && id < 2 ** 28;
  }

  private ensureViewer(viewer: number): void {
    if (viewer >= this.viewerCoins.length) {
      this.viewerCoins = grown(this.viewerCoins, viewer + 1);
    }
    if (viewer >= this.viewerCount) this.viewerCount = viewer + 1;
  }

  private ensureCreator(creator: number): void {
    if (creator >= this.creatorCoins.length) {
      const n = creator + 1;
      this.creatorCoins = grown(this.creatorCoins, n);
      this.creatorDiamonds = grown(this.creatorDiamonds, n);
      this.creatorPaidCents = grown(this.creatorPaidCents, n);
      this.creatorCarry = grown(this.creatorCarry, n);
    }
    if (creator >= this.creatorCount) this.creatorCount = creator + 1;
  }

  // ── reading ─────────────────────────────────────────────────────────────────────────────────

  get entryCount(): number {
    return this.seqCounter;
  }

  get viewers(): number {
    return this.viewerCount;
  }

  get creators(): number {
    return this.creatorCount;
  }

  coinsOf(viewer: number): number {
    return viewer < this.viewerCount ? this.viewerCoins[viewer] : 0;
  }

  diamondsOf(creator: number): number {
    return creator < this.creatorCount ? this.creatorDiamonds[creator] : 0;
  }

  coinsReceivedBy(creator: number): number {
    return creator < this.creatorCount ? this.creatorCoins[creator] : 0;
  }

  paidOutCentsTo(creator: number): number {
    return creator < this.creatorCount ? this.creatorPaidCents[creator] : 0;
  }

  carryOf(creator: number): number {
    return creator < this.creatorCount ? this.creatorCarry[creator] : 0;
  }

  platformBalance(account: PlatformAccount, unit: UnitCode): number {
    return this.platform[account * 3 + unit];
  }

  channelCash(channel: number): { grossCents: number; storeFeeCents: number; paymentFeeCents: number } {
    return {
      grossCents: -this.buyers[channel],
      storeFeeCents: this.storeFees[channel],
      paymentFeeCents: this.paymentFees[channel],
    };
  }

  packCount(channel: number, pack: number): { bought: number; refunded: number } {
    const i = channel * limits.packsPerChannelMax + pack;
    return { bought: this.packsBought[i], refunded: this.packsRefunded[i] };
  }

  /** Sum of every balance per unit (zero for a sound ledger). */
  unitSum(unit: UnitCode): number {
    return this.unitSums[unit];
  }

  hasJournal(): boolean {
    return this.journal !== undefined;
  }

  entries(afterSeq = 0): IterableIterator<JournalEntry> {
    assert(this.journal !== undefined, 'this ledger keeps no journal');
    return this.journal.entries(afterSeq);
  }

  entry(seq: number): JournalEntry {
    assert(this.journal !== undefined, 'this ledger keeps no journal');
    return this.journal.entry(seq);
  }

  /** Every non-zero balance, by account name, as a server's balance table would report it. */
  *balances(): IterableIterator<{ account: string; unit: 'COIN' | 'DIAMOND' | 'USD'; balance: number }> {
    for (let v = 0; v < this.viewerCount; v++) {
      if (this.viewerCoins[v] !== 0)
        yield { account: `viewer:${v}`, unit: 'COIN', balance: this.viewerCoins[v] };
    }
    for (let c = 0; c < this.creatorCount; c++) {
      const name = `creator:${c}`;
      if (this.creatorCoins[c] !== 0) yield { account: name, unit: 'COIN', balance: this.creatorCoins[c] };
      if (this.creatorDiamonds[c] !== 0)
        yield { account: name, unit: 'DIAMOND', balance: this.creatorDiamonds[c] };
      if (this.creatorPaidCents[c] !== 0)
        yield { account: name, unit: 'USD', balance: this.creatorPaidCents[c] };
    }
    for (let a = 0; a < PLATFORM_ACCOUNT_NAMES.length; a++) {
      for (let u = 0; u < 3; u++) {
        const balance = this.platform[a * 3 + u];
        if (balance !== 0)
          yield { account: `platform:${PLATFORM_ACCOUNT_NAMES[a]}`, unit: UNIT_OF_CODE[u], balance };
      }
    }
    for (let ch = 0; ch < this.economy.channels.length; ch++) {
      const id = this.economy.channels[ch].id;
      if (this.buyers[ch] !== 0) yield { account: `buyers:${id}`, unit: 'USD', balance: this.buyers[ch] };
      if (this.storeFees[ch] !== 0)
        yield { account: `store_fees:${id}`, unit: 'USD', balance: this.storeFees[ch] };
      if (this.paymentFees[ch] !== 0)
        yield { account: `payment_fees:${id}`, unit: 'USD', balance: this.paymentFees[ch] };
    }
  }

  accountName(id: number): string {
    const family = id & FAMILY_MASK;
    const key = id >>> FAMILY_BITS;
    if (family === Family.Platform) return `platform:${PLATFORM_ACCOUNT_NAMES[key]}`;
    if (family === Family.Buyers || family === Family.StoreFees || family === Family.PaymentFees) {
      return `${FAMILY_NAMES[family]}:${this.economy.channels[key].id}`;
    }
    return `${FAMILY_NAMES[family]}:${key}`;
  }
}

function grown<T extends Float64Array | Int32Array>(from: T, atLeast: number): T {
  let n = Math.max(16, from.length);
  while (n < atLeast) n *= 2;
  const to = new (from.constructor as new (n: number) => T)(n);
  to.set(from as never);
  return to;
}
