/**
 * The in-memory double-entry ledger over COIN, DIAMOND and USD cents. Balances live in typed arrays
 * indexed by viewer and creator number; postings go through the shared layout; the journal is kept
 * column-wise (or not at all, for long simulations — balances and running totals stay checkable).
 *
 * Every decision (what is refused, in which order, and the amounts posted) is the operation kernel's
 * (`sim/kernel`); the ledger keeps the balances, the journal and the idempotency record. Mutant tests
 * break one rule by handing it a kernel with that rule broken, or by overriding a storage method.
 */
import { assert } from '../../common/assert.ts';
import { IntMap } from '../../common/int-map.ts';
import { limits } from '../../common/limits.ts';
import {
  newPurchaseSplit,
  PURCHASE_FEES,
  type PurchaseSplit,
  type WithdrawalQuote,
} from '../economy/rules.ts';
import type { Economy } from '../economy/types.ts';
import { assertEconomy } from '../economy/types.ts';
import {
  checkGift,
  checkPurchase,
  checkRefund,
  checkWithdrawal,
  type GiftPlan,
  giftPrint,
  type Kernel,
  KeyUse,
  kernel,
  keyUse,
  newGiftPlan,
  newWithdrawalQuote,
  type PostingSink,
  type PurchaseRecord,
  postGift,
  postPurchase,
  postRefund,
  postWithdrawal,
  purchasePrint,
  refundPrint,
  Status,
  withdrawalPrint,
} from '../kernel/index.ts';
import {
  FAMILY_NAMES,
  Family,
  isChannelFamily,
  PLATFORM_ACCOUNT_NAMES,
  type PlatformAccount,
  UNIT_OF_CODE,
  type UnitCode,
} from './accounts.ts';
import { ColumnarJournal } from './columnar-journal.ts';
import type { EntryKind, JournalEntry } from './journal.ts';

export interface LedgerOptions {
  /** Keep every entry (default true). Without it the ledger keeps balances and running totals only. */
  journal?: boolean;
  /** Remember operation ids so that a replay returns the first result (default true). */
  idempotency?: boolean;
  /**
   * Expected population, to size the arrays up front (they grow on demand; viewers' rows are made for at
   * most 1,024 up front: most viewers never trade).
   */
  viewers?: number;
  creators?: number;
  /** Assert after every entry that it balances (default true; mutant tests turn it off). */
  paranoid?: boolean;
  /** Called with every entry as it is written (materialised: for `--check all`, not the hot path). */
  onEntry?: (entry: JournalEntry) => void;
  /** The decisions (default: the kernel; mutant tests hand in one with a rule broken). */
  kernel?: Kernel;
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

const FAMILY_BITS = 3;
const FAMILY_MASK = (1 << FAMILY_BITS) - 1;
assert(FAMILY_NAMES.length <= FAMILY_MASK + 1, 'account families outgrew the bits a journal id gives them');

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

  /**
   * Viewers' coins by row. A viewer gets a row at its first purchase or gift (most viewers never
   * trade), and a viewer gone for good that holds nothing hands its row on (`release`): so the rows
   * are bounded by the viewers present who trade, not by the viewer numbers a long run hands out.
   */
  protected viewerCoins: Float64Array;
  /** Viewer number → row of viewerCoins. */
  private readonly viewerRows: IntMap;
  private rowCount = 0;
  private freeRows: Int32Array = new Int32Array(16);
  private freeRowCount = 0;
  /** The last viewer looked up and its row: an operation posts to the viewer it just decided for. */
  private lastViewer = -1;
  private lastRow = -1;
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
  /** Each purchase fee's USD per channel: fee i of channel ch at i × channels + ch. */
  protected readonly fees: Float64Array;
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
  private readonly kernel: Kernel;
  private readonly split: PurchaseSplit = newPurchaseSplit();
  private readonly giftPlan: GiftPlan = newGiftPlan();
  private readonly quote: WithdrawalQuote = newWithdrawalQuote();
  private readonly entrySums = new Float64Array(3);
  private seqCounter = 0;

  constructor(economy: Economy, options: LedgerOptions = {}) {
    assertEconomy(economy);
    this.economy = economy;
    const viewers = Math.max(1, options.viewers ?? 16);
    const creators = Math.max(1, options.creators ?? 16);
    assert(viewers <= limits.viewersMax && creators <= limits.creatorsMax, 'population over limits');
    // Rows for the viewers who trade, grown as they come: a population's size says little of how many.
    const rows = Math.min(viewers, 1024);
    this.viewerCoins = new Float64Array(rows);
    this.viewerRows = new IntMap(rows);
    this.creatorCoins = new Float64Array(creators);
    this.creatorDiamonds = new Float64Array(creators);
    this.creatorPaidCents = new Float64Array(creators);
    this.creatorCarry = new Int32Array(creators);
    const channels = economy.channels.length;
    this.buyers = new Float64Array(channels);
    this.fees = new Float64Array(channels * PURCHASE_FEES.length);
    this.packsBought = new Float64Array(channels * limits.packsPerChannelMax);
    this.packsRefunded = new Float64Array(channels * limits.packsPerChannelMax);
    this.paranoid = options.paranoid ?? true;
    this.kernel = options.kernel ?? kernel;
    this.onEntry = options.onEntry;
    const keepJournal = options.journal ?? true;
    this.journal = keepJournal ? new ColumnarJournal((id) => this.accountName(id), UNIT_OF_CODE) : undefined;
    const idempotency = options.idempotency ?? true;
    this.remembered = idempotency ? new Map() : undefined;
    this.purchasesByOp = keepJournal || idempotency ? new Map() : undefined;
  }

  // ── operations ──────────────────────────────────────────────────────────────────────────────

  purchase(viewer: number, channel: number, pack: number, at: number, opId?: string): Status {
    const checked = checkPurchase(this.economy, viewer, channel, pack);
    if (checked !== Status.Ok) return this.reject(checked);
    if (this.keyed(opId)) {
      const ch = this.economy.channels[channel];
      const replay = this.replay(opId, purchasePrint(viewer, ch.id, ch.packs[pack].id));
      if (replay !== undefined) return replay;
    }
    const split = this.split;
    this.kernel.decidePurchase(this.economy, channel, pack, split);
    this.viewerRow(viewer);
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
    const checked = checkGift(this.economy, viewer, creator, gift, count);
    if (checked !== Status.Ok) return this.reject(checked);
    if (this.keyed(opId)) {
      const replay = this.replay(opId, giftPrint(viewer, creator, this.economy.gifts[gift].id, count));
      if (replay !== undefined) return replay;
    }
    const row = this.viewerRow(viewer);
    this.ensureCreator(creator);
    const plan = this.giftPlan;
    const status = this.kernel.decideGift(
      this.economy,
      gift,
      count,
      this.viewerCoins[row],
      this.creatorCarry[creator],
      plan,
    );
    if (status !== Status.Ok) return this.remember(opId, this.reject(status));
    this.creatorCarry[creator] = plan.carryAfterBp;
    this.begin('gift', at, opId);
    postGift(this, viewer, creator, plan.coins, plan.diamonds);
    this.end();
    this.totals.gifts++;
    this.totals.coinsSpent += plan.coins;
    this.totals.diamondsCredited += plan.diamonds;
    return this.remember(opId, Status.Ok);
  }

  withdraw(creator: number, requestedDiamonds: number, at: number, opId?: string): Status {
    const checked = checkWithdrawal(creator, requestedDiamonds);
    if (checked !== Status.Ok) return this.reject(checked);
    if (this.keyed(opId)) {
      const replay = this.replay(opId, withdrawalPrint(creator, requestedDiamonds));
      if (replay !== undefined) return replay;
    }
    this.ensureCreator(creator);
    const quote = this.quote;
    const status = this.kernel.decideWithdrawal(
      this.economy,
      requestedDiamonds,
      this.creatorDiamonds[creator],
      quote,
    );
    if (status !== Status.Ok) return this.remember(opId, this.reject(status));
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
    const checked = checkRefund(record);
    if (record === undefined || checked !== Status.Ok) return this.reject(checked);
    if (this.keyed(opId)) {
      const replay = this.replay(opId, refundPrint(purchaseOpId));
      if (replay !== undefined) return replay;
    }
    const split = this.split;
    const status = this.kernel.decideRefund(this.economy, record, this.coinsOf(record.viewer), split);
    if (status !== Status.Ok) return this.remember(opId, this.reject(status));
    this.begin('refund', at, opId);
    postRefund(this, record.viewer, record.channel, split);
    this.end();
    record.refunded = true;
    this.totals.refunds++;
    this.packsRefunded[record.channel * limits.packsPerChannelMax + record.pack]++;
    this.totals.coinsRefunded += split.coins;
    return this.remember(opId, Status.Ok);
  }

  // ── storage a mutant may break ──────────────────────────────────────────────────────────────

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
      case Family.Viewer: {
        assert(unit === 0, 'viewers hold coins only');
        const row = this.viewerRow(key);
        this.viewerCoins[row] += amount;
        if (this.viewerCoins[row] < 0) this.totals.viewerOverdrafts++;
        break;
      }
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
      default:
        this.fees[(family - Family.Fees) * this.economy.channels.length + key] += amount;
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

  /** Whether this call's key is looked up (and its outcome recorded). */
  private keyed(opId: string | undefined): opId is string {
    this.lastReplayed = false;
    this.pendingFingerprint = '';
    return opId !== undefined && this.remembered !== undefined;
  }

  /** The first outcome of a key used before (or a conflict); undefined for a new key. */
  private replay(opId: string, fingerprint: string): Status | undefined {
    this.pendingFingerprint = fingerprint;
    const first = this.remembered?.get(opId);
    const use = keyUse(first?.fingerprint, fingerprint);
    if (first === undefined || use === KeyUse.New) return undefined;
    if (use === KeyUse.Conflict) {
      this.lastSeq = 0;
      return Status.IdempotencyConflict;
    }
    this.lastReplayed = true;
    this.lastSeq = first.seq;
    return first.status;
  }

  private reject(status: Status): Status {
    this.totals.rejected++;
    this.lastReplayed = false;
    this.lastSeq = 0;
    return status;
  }

  /** The row of viewer `viewer`'s coins, made (holding 0) at its first operation. */
  protected viewerRow(viewer: number): number {
    if (viewer === this.lastViewer) return this.lastRow;
    let row = this.viewerRows.get(viewer);
    if (row < 0) {
      row = this.freeRowCount > 0 ? this.freeRows[--this.freeRowCount] : this.rowCount++;
      if (row >= this.viewerCoins.length) this.viewerCoins = grown(this.viewerCoins, row + 1);
      this.viewerCoins[row] = 0;
      this.viewerRows.set(viewer, row);
      if (viewer >= this.viewerCount) this.viewerCount = viewer + 1;
    }
    this.lastViewer = viewer;
    this.lastRow = row;
    return row;
  }

  /**
   * Viewer `viewer` is gone for good (the engine's departures): a row that holds no coins goes to a later
   * viewer, and the viewer reads as holding none, as it does. One that still holds coins keeps its row:
   * those coins are outstanding, and a refund may still take them back.
   */
  release(viewer: number): void {
    const row = this.viewerRows.get(viewer);
    if (row < 0 || this.viewerCoins[row] !== 0) return;
    this.viewerRows.delete(viewer);
    if (this.freeRowCount === this.freeRows.length)
      this.freeRows = grown(this.freeRows, this.freeRowCount + 1);
    this.freeRows[this.freeRowCount++] = row;
    if (this.lastViewer === viewer) this.lastViewer = -1;
  }

  /** Whether viewer `viewer` holds a row (it traded and was not released empty-handed since). */
  holdsRow(viewer: number): boolean {
    return this.viewerRows.get(viewer) >= 0;
  }

  /** Rows of viewers' coins held (a figure for tests and the bench: viewers present who traded). */
  get viewerRowsHeld(): number {
    return this.viewerRows.size;
  }

  /** Bytes the viewers' coins take (rows, their map and the free rows). */
  get viewerBytes(): number {
    return this.viewerCoins.byteLength + this.viewerRows.bytes + this.freeRows.byteLength;
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

  /** One past the highest viewer number that traded (released or not): the numbers to read balances over. */
  get viewers(): number {
    return this.viewerCount;
  }

  get creators(): number {
    return this.creatorCount;
  }

  coinsOf(viewer: number): number {
    const row = viewer === this.lastViewer ? this.lastRow : this.viewerRows.get(viewer);
    return row < 0 ? 0 : this.viewerCoins[row];
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

  /** A channel's gross and each of its fees (in `PURCHASE_FEES` order), as posted. */
  channelCash(channel: number): { grossCents: number; feeCents: number[] } {
    const channels = this.economy.channels.length;
    return {
      grossCents: -this.buyers[channel],
      feeCents: PURCHASE_FEES.map((_, i) => this.fees[i * channels + channel]),
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
      const coins = this.coinsOf(v);
      if (coins !== 0) yield { account: `viewer:${v}`, unit: 'COIN', balance: coins };
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
      for (let i = 0; i < PURCHASE_FEES.length; i++) {
        const balance = this.fees[i * this.economy.channels.length + ch];
        if (balance !== 0) yield { account: `${PURCHASE_FEES[i].family}:${id}`, unit: 'USD', balance };
      }
    }
  }

  accountName(id: number): string {
    const family = id & FAMILY_MASK;
    const key = id >>> FAMILY_BITS;
    if (family === Family.Platform) return `platform:${PLATFORM_ACCOUNT_NAMES[key]}`;
    if (isChannelFamily(family)) {
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
