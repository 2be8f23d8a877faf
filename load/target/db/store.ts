/**
 * The reference target's database: better-sqlite3 in WAL mode. The journal is the record: one row per
 * entry (postings as JSON in the journal's shape, sim/ledger/journal.ts) that also holds the entry's idempotency record (who sent
 * it under which key, the request's fingerprint and the answer) and, for a gift, the creator's carried
 * diamond fraction after it. Balances, carries and the key index are kept in memory and rebuilt from
 * the journal when the store opens: a write costs one journal row (a purchase also a row for refunds),
 * nothing is read back from the database on the way, and every acknowledged write is still durable
 * (the journal row commits before the answer; what memory holds follows from the journal). Refusals,
 * which have no entry, keep their idempotency record in a table of their own. Memory changes made inside
 * a transaction are undone with it (`begin`/`commit`/`rollback`, called by the group committer).
 *
 * Idempotency keys are scoped per principal, as payment APIs do: a key another principal used is a new
 * key for this one. The entry's opId is the key; when another principal's entry already has that opId,
 * it is the key, `·` and the principal (`k1·viewer:3`), which no key can be (keys are printable ASCII).
 *
 * Durability, and why `synchronous=NORMAL` is the default: in WAL mode a commit appends its pages to
 * the WAL with write(2) before it returns, and a write is acknowledged only after its commit (group
 * commit, `commit.ts`). When the process dies — `kill -9`, a crash, an OOM kill — those pages are in
 * the kernel's page cache and reach the file anyway: every acknowledged write survives. What NORMAL
 * gives up is the fsync per commit, so an OS crash or power cut may lose the last commits (never
 * corrupt the file; the WAL is fsynced at every checkpoint). `FULL` (`--synchronous full`) keeps
 * SQLite at NORMAL and fdatasyncs the WAL off the event loop before answering (`wal-sync.ts`): every
 * acknowledged write survives a power cut too. `SQLITE_FULL` is SQLite's own synchronous=FULL, an
 * fsync inside every commit group that blocks the event loop (0.2 to 3 ms on the shared disk measured),
 * kept for comparison. All three are benchmarked in `bench/target.bench.ts`.
 */
import fs from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { assert } from '../../../common/assert.ts';
import { InputError } from '../../../common/input-error.ts';
import type { Unit } from '../../../sim/economy/types.ts';
import { ENTRY_KINDS, type EntryKind, type JournalEntry, type Posting } from '../../../sim/ledger/journal.ts';
import type { Role } from '../tokens.ts';

/** `NORMAL` survives a crash of the process, `FULL` and `SQLITE_FULL` a crash of the machine (see above). */
export type Synchronous = 'NORMAL' | 'FULL' | 'SQLITE_FULL';

export const SYNCHRONOUS_MODES: readonly Synchronous[] = ['NORMAL', 'FULL', 'SQLITE_FULL'];

export interface StoreOptions {
  /** A file path or `:memory:`. */
  file: string;
  synchronous?: Synchronous;
}

/** A key's first answer, as recorded: replayed as is. */
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

/** A journal entry with what the store keeps beside it. */
export interface EntryWrite {
  opId: string;
  kind: EntryKind;
  at: number;
  postings: readonly Posting[];
  principal: string;
  key: string;
  fingerprint: string;
  /** The answer's body; `seq` is the entry's own (`nextSeq()`). */
  answer: string;
  /** A gift's creator and carried fraction after it. */
  carry?: { creator: number; bp: number };
}

/** Separates a key from its principal in a scoped opId; outside printable ASCII, so no key contains it. */
export const SCOPE_MARK = '\u00b7';

const SCHEMA_VERSION = '2';

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
  kind TEXT NOT NULL CHECK (kind IN (${ENTRY_KINDS.map((k) => `'${k}'`).join(', ')})),
  at INTEGER NOT NULL,
  postings TEXT NOT NULL,
  principal TEXT NOT NULL,
  idem_key TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  answer TEXT NOT NULL,
  carry_creator INTEGER,
  carry_bp INTEGER
);
CREATE TABLE IF NOT EXISTS purchases (
  op_id TEXT PRIMARY KEY,
  viewer INTEGER NOT NULL,
  channel TEXT NOT NULL,
  pack TEXT NOT NULL,
  refunded INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS refusals (
  principal TEXT NOT NULL,
  idem_key TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  status INTEGER NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (principal, idem_key)
) WITHOUT ROWID;
`;

interface EntryRow {
  seq: number;
  op_id: string;
  kind: EntryKind;
  at: number;
  postings: string;
}

/** A key's index value: an entry's seq, or REFUSED (the record is in the refusals table). */
const REFUSED = -1;

export class Store {
  readonly db: Database.Database;
  readonly synchronous: Synchronous;
  readonly file: string;
  private readonly stmt: Statements;
  /** `account|unit` → balance, as the journal implies (or, under the lost-update fault, as written). */
  private readonly balances = new Map<string, number>();
  /** The balance keys in (account, unit) order, for paging; undefined when a new key came since. */
  private sortedKeys: string[] | undefined;
  private readonly carries = new Map<number, number>();
  /** opId → seq (the key, or `key·principal` when scoped). */
  private readonly keys = new Map<string, number>();
  /**
   * key → principal → seq or REFUSED, for the records not found under the plain opId (scoped opIds,
   * refusals): looked up by the key as sent, with no scoped string built per request.
   */
  private readonly scopedKeys = new Map<string, Map<string, number>>();
  private seq = 0;
  /** Memory changes of the open transaction, undone in reverse on a rollback. */
  private undo: (() => void)[] | undefined;

  constructor(options: StoreOptions) {
    this.file = options.file;
    this.synchronous = options.synchronous ?? 'NORMAL';
    this.db = new Database(options.file);
    // One server a database: its first write (the schema version, below) takes an exclusive lock held
    // until it closes, so a second server on the same file is refused at start-up instead of serving
    // stale balances and failing every write. The OS drops the lock with the process (kill -9 included).
    // Before WAL mode: SQLite then keeps the WAL index in memory, as only this connection reads it.
    if (options.file !== ':memory:') this.db.pragma('locking_mode = EXCLUSIVE');
    this.db.pragma('journal_mode = WAL');
    // FULL's fsyncs are `wal-sync.ts`'s, off the event loop; SQLite's own are SQLITE_FULL's.
    this.db.pragma(`synchronous = ${this.synchronous === 'SQLITE_FULL' ? 'FULL' : 'NORMAL'}`);
    this.db.pragma('busy_timeout = 5000');
    // Journal pages of replays and the start-up scan: a larger cache and memory-mapped reads.
    this.db.pragma('cache_size = -65536');
    this.db.pragma('mmap_size = 268435456');
    // Checkpoint every 40 MiB of WAL rather than every 4 MiB: the checkpoint's fsync blocks the event
    // loop less often.
    this.db.pragma('wal_autocheckpoint = 10000');
    checkVersion(this.db, options.file);
    this.db.exec(SCHEMA);
    this.stmt = prepare(this.db);
    this.stmt.metaPut.run('schema', SCHEMA_VERSION);
    this.rebuild();
  }

  /** Balances, carries, the key index and the last seq, from the journal and the refusals. */
  private rebuild(): void {
    for (const row of this.stmt.scan.iterate()) {
      for (const p of JSON.parse(row.postings) as Posting[])
        this.add(balanceKey(p.account, p.unit), p.amount);
      if (row.carry_creator !== null && row.carry_bp !== null)
        this.carries.set(row.carry_creator, row.carry_bp);
      this.keys.set(row.op_id, row.seq);
      if (row.op_id !== row.idem_key) this.setScoped(row.idem_key, row.principal, row.seq);
      this.seq = row.seq;
    }
    for (const r of this.stmt.refusalKeys.iterate()) this.setScoped(r.idem_key, r.principal, REFUSED);
  }

  // ── transactions (memory follows the database) ──────────────────────────────────────────────

  begin(): void {
    this.undo = [];
  }

  commit(): void {
    this.undo = undefined;
  }

  rollback(): void {
    const undo = this.undo ?? [];
    for (let i = undo.length - 1; i >= 0; i--) undo[i]();
    this.undo = undefined;
  }

  private record(revert: () => void): void {
    this.undo?.push(revert);
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
    return this.balances.get(balanceKey(account, unit)) ?? 0;
  }

  addBalance(account: string, unit: Unit, delta: number): void {
    this.add(balanceKey(account, unit), delta);
  }

  /** Writes a balance back as a stale read computed it (the lost-update fault only). */
  setBalance(account: string, unit: Unit, value: number): void {
    const key = balanceKey(account, unit);
    this.add(key, value - (this.balances.get(key) ?? 0));
  }

  private add(key: string, delta: number): void {
    const before = this.balances.get(key);
    if (before === undefined) this.sortedKeys = undefined;
    this.balances.set(key, (before ?? 0) + delta);
    if (this.undo !== undefined) {
      this.record(() => {
        if (before === undefined) {
          this.balances.delete(key);
          this.sortedKeys = undefined;
        } else this.balances.set(key, before);
      });
    }
  }

  carry(creator: number): number {
    return this.carries.get(creator) ?? 0;
  }

  /** Stated balances in (account, unit) order, after the row `after` names. */
  balancesPage(after: [string, string] | undefined, limit: number): BalanceRow[] {
    if (this.sortedKeys === undefined) {
      this.sortedKeys = [...this.balances.keys()].sort(compareBalanceKeys);
    }
    const keys = this.sortedKeys;
    let lo = 0;
    if (after !== undefined) {
      const from = balanceKey(after[0], after[1]);
      let hi = keys.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (compareBalanceKeys(keys[mid], from) <= 0) lo = mid + 1;
        else hi = mid;
      }
    }
    return keys.slice(lo, lo + limit).map((k) => {
      const [account, unit] = splitBalanceKey(k);
      return { account, unit, balance: this.balances.get(k) ?? 0 };
    });
  }

  // ── journal and keys ────────────────────────────────────────────────────────────────────────

  /** The seq the next entry gets. */
  nextSeq(): number {
    return this.seq + 1;
  }

  /** The opId of a key this principal has not used: the key, or scoped when another principal's entry has it. */
  opIdFor(principal: string, key: string): string {
    return this.keys.has(key) ? scoped(key, principal) : key;
  }

  /**
   * Appends an entry with its idempotency record and applies its postings to the balances (added), its
   * carry to the creator's. Returns its seq.
   */
  appendEntry(e: EntryWrite, balances: 'add' | 'none' = 'add'): number {
    const seq = this.seq + 1;
    this.stmt.entryPut.run(
      seq,
      e.opId,
      e.kind,
      e.at,
      JSON.stringify(e.postings),
      e.principal,
      e.key,
      e.fingerprint,
      e.answer,
      e.carry?.creator ?? null,
      e.carry?.bp ?? null,
    );
    this.seq = seq;
    const keyBefore = this.keys.get(e.opId);
    this.keys.set(e.opId, seq);
    const isScoped = e.opId !== e.key;
    if (isScoped) this.setScoped(e.key, e.principal, seq);
    if (balances === 'add') for (const p of e.postings) this.add(balanceKey(p.account, p.unit), p.amount);
    const carry = e.carry;
    const carryBefore = carry === undefined ? undefined : this.carries.get(carry.creator);
    if (carry !== undefined) this.carries.set(carry.creator, carry.bp);
    if (this.undo !== undefined) {
      this.record(() => {
        this.seq = seq - 1;
        restore(this.keys, e.opId, keyBefore);
        if (isScoped) this.deleteScoped(e.key, e.principal);
        if (carry !== undefined) restore(this.carries, carry.creator, carryBefore);
      });
    }
    return seq;
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
    return this.seq;
  }

  /** The record of this principal's first use of `key`, if any. */
  idempotency(principal: string, key: string): IdempotencyRecord | undefined {
    const own = this.scopedKeys.get(key)?.get(principal);
    if (own === REFUSED) {
      const r = this.stmt.refusalGet.get(principal, key);
      assert(r !== undefined, `refusal of ${principal} under ${key} is indexed but not stored`);
      return { fingerprint: r.fingerprint, status: r.status, seq: 0, body: r.body };
    }
    const seq = own ?? this.keys.get(key);
    if (seq === undefined) return undefined;
    const row = this.stmt.recordGet.get(seq);
    assert(row !== undefined, `entry ${seq} is indexed but not stored`);
    // The key's opId may be another principal's entry: then this principal has not used the key.
    if (row.principal !== principal || row.idem_key !== key) return undefined;
    return { fingerprint: row.fingerprint, status: 201, seq, body: row.answer };
  }

  /** Records a refusal under this principal's key (a refused write writes no entry). */
  rememberRefusal(principal: string, key: string, record: Omit<IdempotencyRecord, 'seq'>): void {
    this.stmt.refusalPut.run(principal, key, record.fingerprint, record.status, record.body);
    this.setScoped(key, principal, REFUSED);
    this.record(() => this.deleteScoped(key, principal));
  }

  private setScoped(key: string, principal: string, value: number): void {
    const of = this.scopedKeys.get(key);
    if (of === undefined) this.scopedKeys.set(key, new Map([[principal, value]]));
    else of.set(principal, value);
  }

  private deleteScoped(key: string, principal: string): void {
    const of = this.scopedKeys.get(key);
    of?.delete(principal);
    if (of?.size === 0) this.scopedKeys.delete(key);
  }

  // ── purchases ───────────────────────────────────────────────────────────────────────────────

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

  /** The WAL file, when the database is a file (SQLite created it on opening, in WAL mode). */
  walPath(): string | undefined {
    return this.file === ':memory:' ? undefined : `${this.file}-wal`;
  }

  /**
   * Makes what is written so far durable, blocking: the WAL, the database file and their folder's
   * entries (new files). Once at start in FULL, before answering anything; later syncs are the WAL's only.
   */
  syncNow(): void {
    const wal = this.walPath();
    if (wal === undefined) return;
    fsyncPath(wal);
    fsyncPath(this.file);
    try {
      fsyncPath(dirname(this.file));
    } catch {
      // A folder cannot be opened for fsync on every platform (Windows); its entries are the OS's then.
    }
  }

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

function fsyncPath(path: string): void {
  const fd = fs.openSync(path, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function balanceKey(account: string, unit: string): string {
  return `${account}|${unit}`;
}

function splitBalanceKey(key: string): [string, Unit] {
  const at = key.lastIndexOf('|');
  return [key.slice(0, at), key.slice(at + 1) as Unit];
}

/** (account, unit) order, as SQLite's text comparison of the pair did (byte order). */
function compareBalanceKeys(a: string, b: string): number {
  const [aa, au] = splitBalanceKey(a);
  const [ba, bu] = splitBalanceKey(b);
  if (aa !== ba) return aa < ba ? -1 : 1;
  return au < bu ? -1 : au > bu ? 1 : 0;
}

function scoped(key: string, principal: string): string {
  return `${key}${SCOPE_MARK}${principal}`;
}

function restore<K, V>(map: Map<K, V>, key: K, before: V | undefined): void {
  if (before === undefined) map.delete(key);
  else map.set(key, before);
}

/** A database written before the journal held its idempotency records cannot be read: say so. */
function checkVersion(db: Database.Database, file: string): void {
  const hasEntries = db
    .prepare<[], { n: number }>("SELECT count(*) AS n FROM sqlite_master WHERE name = 'entries'")
    .get();
  if (hasEntries === undefined || hasEntries.n === 0) return;
  const columns = db.prepare<[], { name: string }>('PRAGMA table_info(entries)').all();
  if (columns.some((c) => c.name === 'idem_key')) return;
  db.close();
  throw new InputError({
    field: '--db',
    expected: `a database written by this giftlab (schema ${SCHEMA_VERSION}), or a new file`,
    found: `${file}, written by an older giftlab`,
  });
}

function prepare(db: Database.Database) {
  return {
    metaGet: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
    metaPut: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING'),
    userPut: db.prepare('INSERT INTO users (role, id) VALUES (?, ?) ON CONFLICT DO NOTHING'),
    users: db.prepare<[], { role: 'viewer' | 'creator'; id: number }>(
      'SELECT role, id FROM users ORDER BY role, id',
    ),
    scan: db.prepare<
      [],
      {
        seq: number;
        op_id: string;
        postings: string;
        principal: string;
        idem_key: string;
        carry_creator: number | null;
        carry_bp: number | null;
      }
    >('SELECT seq, op_id, postings, principal, idem_key, carry_creator, carry_bp FROM entries ORDER BY seq'),
    refusalKeys: db.prepare<[], { principal: string; idem_key: string }>(
      'SELECT principal, idem_key FROM refusals',
    ),
    entryPut: db.prepare(
      'INSERT INTO entries (seq, op_id, kind, at, postings, principal, idem_key, fingerprint, answer, carry_creator, carry_bp) ' +
        'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    entries: db.prepare<[number, number], EntryRow>(
      'SELECT seq, op_id, kind, at, postings FROM entries WHERE seq > ? ORDER BY seq LIMIT ?',
    ),
    recordGet: db.prepare<
      [number],
      { principal: string; idem_key: string; fingerprint: string; answer: string }
    >('SELECT principal, idem_key, fingerprint, answer FROM entries WHERE seq = ?'),
    refusalGet: db.prepare<[string, string], { fingerprint: string; status: number; body: string }>(
      'SELECT fingerprint, status, body FROM refusals WHERE principal = ? AND idem_key = ?',
    ),
    refusalPut: db.prepare(
      'INSERT INTO refusals (principal, idem_key, fingerprint, status, body) VALUES (?, ?, ?, ?, ?)',
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
