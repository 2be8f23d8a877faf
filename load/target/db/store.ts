/**
 * The reference target's database: better-sqlite3 in WAL mode. Tables hold the journal (one row per
 * entry, postings as JSON in DESIGN's shape), the balances it implies (kept in the same transaction),
 * each creator's carried diamond fraction, purchases (for refunds), idempotency records and users.
 *
 * Durability, and why `synchronous=NORMAL` is the default: in WAL mode a commit appends its pages to
 * the WAL with write(2) before it returns, and a write is acknowledged only after its commit (group
 * commit, `commit.ts`). When the process dies — `kill -9`, a crash, an OOM kill — those pages are in
 * the kernel's page cache and reach the file anyway: every acknowledged write survives. What NORMAL
 * gives up is the fsync per commit, so an OS crash or power cut may lose the last commits (never
 * corrupt the file; the WAL is fsynced at every checkpoint). `synchronous=FULL` fsyncs the WAL at
 * every commit group and survives a power cut too; group commit pays that fsync once per batch, but
 * the fsync blocks the event loop (0.2 to 3 ms on the shared disk measured), so FULL is the option
 * for durability beyond the process, NORMAL the default for a load-test target. Both are benchmarked
 * in `bench/target.bench.ts`.
 */
import Database from 'better-sqlite3';
import { assert } from '../../../common/assert.ts';
import type { Unit } from '../../../sim/economy/types.ts';
import type { EntryKind, JournalEntry, Posting } from '../../../sim/ledger/journal.ts';
import type { Role } from '../tokens.ts';

export type Synchronous = 'FULL' | 'NORMAL';

export interface StoreOptions {
  /** A file path or `:memory:`. */
  file: string;
  synchronous?: Synchronous;
}

export interface IdempotencyRecord {
  fingerprint: string;
  status: number;
  /** The entry the first answer wrote, 0 for a refusal. */
  seq: number;
  /** The first answer's body, as sent. */
  body: string;
}

export interface PurchaseRecord {
  opId: string;
  viewer: number;
  channel: string;
  pack: string;
  refunded: boolean;
}

export interface BalanceRow {
  account: string;
  unit: Unit;
  balance: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS users (
  role TEXT NOT NULL CHECK (role IN ('viewer', 'creator')),
  id INTEGER NOT NULL,
  PRIMARY KEY (role, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS entries (
  seq INTEGER PRIMARY KEY,
  op_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('purchase', 'gift', 'withdrawal', 'refund')),
  at INTEGER NOT NULL,
  postings TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS balances (
  account TEXT NOT NULL,
  unit TEXT NOT NULL CHECK (unit IN ('COIN', 'DIAMOND', 'USD')),
  balance INTEGER NOT NULL,
  PRIMARY KEY (account, unit)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS carries (creator INTEGER PRIMARY KEY, carry_bp INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS purchases (
  op_id TEXT PRIMARY KEY,
  viewer INTEGER NOT NULL,
  channel TEXT NOT NULL,
  pack TEXT NOT NULL,
  refunded INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS idempotency (
  key TEXT PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  status INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  body TEXT NOT NULL
) WITHOUT ROWID;
`;

interface EntryRow {
  seq: number;
  op_id: string;
  kind: EntryKind;
  at: number;
  postings: string;
}

export class Store {
  readonly db: Database.Database;
  readonly synchronous: Synchronous;
  readonly file: string;
  private readonly stmt: Statements;

  constructor(options: StoreOptions) {
    this.file = options.file;
    this.synchronous = options.synchronous ?? 'NORMAL';
    this.db = new Database(options.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${this.synchronous}`);
    this.db.pragma('busy_timeout = 5000');
    // Reads of idempotency keys and balances hit random pages once the journal outgrows the default
    // 2 MiB cache; a larger cache and memory-mapped reads keep them off the read(2) path.
    this.db.pragma('cache_size = -65536');
    this.db.pragma('mmap_size = 268435456');
    // Checkpoint every 40 MiB of WAL rather than every 4 MiB: hot pages (balances, the journal's tail)
    // are copied back once per checkpoint, and the checkpoint's fsync blocks the event loop less often.
    this.db.pragma('wal_autocheckpoint = 10000');
    this.db.exec(SCHEMA);
    this.stmt = prepare(this.db);
  }

  // ── meta and users ──────────────────────────────────────────────────────────────────────────

  /** The value stored under `key`, storing `initial()` first when there is none. */
  metaOrInit(key: string, initial: () => string): string {
    const found = this.stmt.metaGet.get(key);
    if (found !== undefined) return found.value;
    this.stmt.metaPut.run(key, initial());
    const stored = this.stmt.metaGet.get(key);
    assert(stored !== undefined, `meta ${key} was not stored`);
    return stored.value;
  }

  addUsers(role: Exclude<Role, 'admin'>, ids: Iterable<number>): void {
    this.db.transaction(() => {
      for (const id of ids) this.stmt.userPut.run(role, id);
    })();
  }

  users(): { role: 'viewer' | 'creator'; id: number }[] {
    return this.stmt.users.all();
  }

  // ── balances ────────────────────────────────────────────────────────────────────────────────

  balance(account: string, unit: Unit): number {
    return this.stmt.balance.get(account, unit) ?? 0;
  }

  /**
   * Adds `delta` to a balance. A plain UPDATE by primary key first: unlike an UPSERT it needs no
   * statement journal, and it costs about half as much (measured: 4 UPSERTs 7.9 µs a gift, 4 UPDATEs
   * 5.0 µs, one 4-row UPSERT 12.6 µs). The INSERT runs once per account and unit, on its first posting.
   */
  addBalance(account: string, unit: Unit, delta: number): void {
    if (this.stmt.balanceUpdate.run(delta, account, unit).changes === 0) {
      this.stmt.balanceAdd.run(account, unit, delta);
    }
  }

  setBalance(account: string, unit: Unit, value: number): void {
    this.stmt.balanceSet.run(account, unit, value);
  }

  carry(creator: number): number {
    return this.stmt.carry.get(creator) ?? 0;
  }

  setCarry(creator: number, carryBp: number): void {
    // UPDATE first, as in `addBalance`; the INSERT runs on a creator's first gift.
    if (this.stmt.carryUpdate.run(carryBp, creator).changes === 0) this.stmt.carrySet.run(creator, carryBp);
  }

  /** Stated balances in (account, unit) order, after the row `after` names. */
  balancesPage(after: [string, string] | undefined, limit: number): BalanceRow[] {
    return after === undefined
      ? this.stmt.balancesFirst.all(limit)
      : this.stmt.balancesAfter.all(after[0], after[1], limit);
  }

  // ── journal ─────────────────────────────────────────────────────────────────────────────────

  appendEntry(opId: string, kind: EntryKind, at: number, postings: readonly Posting[]): number {
    const info = this.stmt.entryPut.run(opId, kind, at, JSON.stringify(postings));
    return Number(info.lastInsertRowid);
  }

  journalPage(afterSeq: number, limit: number): JournalEntry[] {
    return this.stmt.entries.all(afterSeq, limit).map((r) => ({
      seq: r.seq,
      opId: r.op_id,
      kind: r.kind,
      at: r.at,
      postings: JSON.parse(r.postings) as Posting[],
    }));
  }

  lastSeq(): number {
    return this.stmt.lastSeq.get()?.seq ?? 0;
  }

  // ── idempotency and purchases ───────────────────────────────────────────────────────────────

  idempotency(key: string): IdempotencyRecord | undefined {
    return this.stmt.idemGet.get(key);
  }

  remember(key: string, record: IdempotencyRecord): void {
    this.stmt.idemPut.run(key, record.fingerprint, record.status, record.seq, record.body);
  }

  purchase(opId: string): PurchaseRecord | undefined {
    const r = this.stmt.purchaseGet.get(opId);
    if (r === undefined) return undefined;
    return { opId: r.op_id, viewer: r.viewer, channel: r.channel, pack: r.pack, refunded: r.refunded !== 0 };
  }

  addPurchase(record: Omit<PurchaseRecord, 'refunded'>): void {
    this.stmt.purchasePut.run(record.opId, record.viewer, record.channel, record.pack);
  }

  markRefunded(opId: string): void {
    this.stmt.purchaseRefunded.run(opId);
  }

  // ── lifecycle ───────────────────────────────────────────────────────────────────────────────

  /** Folds the WAL back into the database file and truncates it (on shutdown). */
  checkpoint(): void {
    if (this.file !== ':memory:') this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  close(): void {
    if (!this.db.open) return;
    this.checkpoint();
    this.db.close();
  }
}

function prepare(db: Database.Database) {
  return {
    metaGet: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
    metaPut: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING'),
    userPut: db.prepare('INSERT INTO users (role, id) VALUES (?, ?) ON CONFLICT DO NOTHING'),
    users: db.prepare<[], { role: 'viewer' | 'creator'; id: number }>(
      'SELECT role, id FROM users ORDER BY role, id',
    ),
    // Scalar reads are plucked: no row object per read on the hot path.
    balance: db
      .prepare<[string, string], number>('SELECT balance FROM balances WHERE account = ? AND unit = ?')
      .pluck(),
    balanceUpdate: db.prepare('UPDATE balances SET balance = balance + ? WHERE account = ? AND unit = ?'),
    balanceAdd: db.prepare(
      'INSERT INTO balances (account, unit, balance) VALUES (?, ?, ?) ' +
        'ON CONFLICT (account, unit) DO UPDATE SET balance = balance + excluded.balance',
    ),
    balanceSet: db.prepare(
      'INSERT INTO balances (account, unit, balance) VALUES (?, ?, ?) ' +
        'ON CONFLICT (account, unit) DO UPDATE SET balance = excluded.balance',
    ),
    carry: db.prepare<[number], number>('SELECT carry_bp FROM carries WHERE creator = ?').pluck(),
    carryUpdate: db.prepare('UPDATE carries SET carry_bp = ? WHERE creator = ?'),
    carrySet: db.prepare(
      'INSERT INTO carries (creator, carry_bp) VALUES (?, ?) ' +
        'ON CONFLICT (creator) DO UPDATE SET carry_bp = excluded.carry_bp',
    ),
    entryPut: db.prepare('INSERT INTO entries (op_id, kind, at, postings) VALUES (?, ?, ?, ?)'),
    entries: db.prepare<[number, number], EntryRow>(
      'SELECT seq, op_id, kind, at, postings FROM entries WHERE seq > ? ORDER BY seq LIMIT ?',
    ),
    lastSeq: db.prepare<[], { seq: number | null }>('SELECT max(seq) AS seq FROM entries'),
    balancesFirst: db.prepare<[number], BalanceRow>(
      'SELECT account, unit, balance FROM balances ORDER BY account, unit LIMIT ?',
    ),
    balancesAfter: db.prepare<[string, string, number], BalanceRow>(
      'SELECT account, unit, balance FROM balances WHERE (account, unit) > (?, ?) ORDER BY account, unit LIMIT ?',
    ),
    idemGet: db.prepare<[string], IdempotencyRecord>(
      'SELECT fingerprint, status, seq, body FROM idempotency WHERE key = ?',
    ),
    idemPut: db.prepare(
      'INSERT INTO idempotency (key, fingerprint, status, seq, body) VALUES (?, ?, ?, ?, ?)',
    ),
    purchaseGet: db.prepare<
      [string],
      { op_id: string; viewer: number; channel: string; pack: string; refunded: number }
    >('SELECT op_id, viewer, channel, pack, refunded FROM purchases WHERE op_id = ?'),
    // A key applied twice (only the non-idempotent fault does that) keeps its first purchase.
    purchasePut: db.prepare(
      'INSERT INTO purchases (op_id, viewer, channel, pack) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
    ),
    purchaseRefunded: db.prepare('UPDATE purchases SET refunded = 1 WHERE op_id = ?'),
  };
}

type Statements = ReturnType<typeof prepare>;
