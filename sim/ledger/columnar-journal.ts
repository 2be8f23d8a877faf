/**
 * A journal kept in growable typed arrays: one row per posting, one per entry. Appending allocates
 * nothing but the occasional doubling; entries become objects only when read out.
 */
import { assert } from '../../common/assert.ts';
import type { EntryKind, JournalEntry, Posting } from './journal.ts';
import { ENTRY_KINDS } from './journal.ts';

const INITIAL = 1024;

export class ColumnarJournal {
  private entryCount = 0;
  private postingCount = 0;
  private kinds = new Uint8Array(INITIAL);
  private ats = new Float64Array(INITIAL);
  private firstPosting = new Uint32Array(INITIAL + 1);
  private opIds: (string | undefined)[] = [];
  private accounts = new Int32Array(INITIAL * 4);
  private units = new Uint8Array(INITIAL * 4);
  private amounts = new Float64Array(INITIAL * 4);

  /** `accountNames[i]` names account id i; `unitNames[u]` names unit code u. */
  constructor(
    private readonly accountName: (id: number) => string,
    private readonly unitNames: readonly Posting['unit'][],
  ) {}

  get length(): number {
    return this.entryCount;
  }

  /** Opens an entry; postings appended until the next `begin` belong to it. Returns its seq (1-based). */
  begin(kind: EntryKind, at: number, opId: string | undefined): number {
    if (this.entryCount + 1 >= this.kinds.length) this.growEntries();
    const i = this.entryCount++;
    this.kinds[i] = ENTRY_KINDS.indexOf(kind);
    this.ats[i] = at;
    this.firstPosting[i] = this.postingCount;
    this.firstPosting[i + 1] = this.postingCount;
    if (opId !== undefined) this.opIds[i] = opId;
    return i + 1;
  }

  append(account: number, unit: number, amount: number): void {
    assert(this.entryCount > 0, 'posting before any entry');
    if (this.postingCount >= this.amounts.length) this.growPostings();
    const p = this.postingCount++;
    this.accounts[p] = account;
    this.units[p] = unit;
    this.amounts[p] = amount;
    this.firstPosting[this.entryCount] = this.postingCount;
  }

  /** Drops the entry opened last (an operation rejected after it began). */
  abandonLast(): void {
    assert(this.entryCount > 0, 'nothing to abandon');
    this.entryCount--;
    this.postingCount = this.firstPosting[this.entryCount];
    this.opIds.length = Math.min(this.opIds.length, this.entryCount);
  }

  entry(seq: number): JournalEntry {
    assert(seq >= 1 && seq <= this.entryCount, `no entry ${seq}`);
    const i = seq - 1;
    const postings: Posting[] = [];
    for (let p = this.firstPosting[i]; p < this.firstPosting[i + 1]; p++) {
      postings.push({
        account: this.accountName(this.accounts[p]),
        unit: this.unitNames[this.units[p]],
        amount: this.amounts[p],
      });
    }
    return {
      seq,
      opId: this.opIds[i] ?? `op-${seq}`,
      kind: ENTRY_KINDS[this.kinds[i]],
      at: this.ats[i],
      postings,
    };
  }

  *entries(afterSeq = 0): IterableIterator<JournalEntry> {
    for (let seq = afterSeq + 1; seq <= this.entryCount; seq++) yield this.entry(seq);
  }

  private growEntries(): void {
    const n = this.kinds.length * 2;
    this.kinds = grow(this.kinds, new Uint8Array(n));
    this.ats = grow(this.ats, new Float64Array(n));
    this.firstPosting = grow(this.firstPosting, new Uint32Array(n + 1));
  }

  private growPostings(): void {
    const n = this.amounts.length * 2;
    this.accounts = grow(this.accounts, new Int32Array(n));
    this.units = grow(this.units, new Uint8Array(n));
    this.amounts = grow(this.amounts, new Float64Array(n));
  }
}

function grow<T extends Uint8Array | Uint32Array | Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from as never);
  return to;
}
