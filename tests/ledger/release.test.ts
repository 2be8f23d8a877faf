/**
 * A viewer gone for good hands its row of coins on when it holds none (Ledger.release): the rows are
 * bounded by the viewers present who trade, not by the viewer numbers a long run hands out, and nothing
 * a ledger answers or holds changes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Economy } from '../../sim/economy/types.ts';
import { checkLedgerState } from '../../sim/invariants/ledger-state.ts';
import { Status } from '../../sim/kernel/status.ts';
import { Ledger } from '../../sim/ledger/ledger.ts';
import { runArb, runOps, VIEWERS } from '../support/arbitraries.ts';
import { testEconomy } from '../support/economy.ts';

const APP = 0;
const ROSE = 0;

/** A ledger that releases the given viewers after its n-th operation, noting every viewer's coins after each. */
class Releasing extends Ledger {
  private calls = 0;
  readonly seen: number[][] = [];
  constructor(
    economy: Economy,
    private readonly releases: { after: number; viewer: number }[],
  ) {
    super(economy);
  }
  override purchase(...a: Parameters<Ledger['purchase']>): Status {
    return this.afterOp(super.purchase(...a));
  }
  override gift(...a: Parameters<Ledger['gift']>): Status {
    return this.afterOp(super.gift(...a));
  }
  override withdraw(...a: Parameters<Ledger['withdraw']>): Status {
    return this.afterOp(super.withdraw(...a));
  }
  override refund(...a: Parameters<Ledger['refund']>): Status {
    return this.afterOp(super.refund(...a));
  }
  private afterOp(status: Status): Status {
    this.calls++;
    for (const r of this.releases) if (r.after === this.calls) this.release(r.viewer);
    this.seen.push(Array.from({ length: VIEWERS }, (_, v) => this.coinsOf(v)));
    return status;
  }
}

describe('releasing departed viewers', () => {
  it('changes no answer, balance, journal entry or check, whenever viewers are released', () => {
    const run = runArb(60).chain(({ economy, ops }) =>
      fc.record({
        economy: fc.constant(economy),
        ops: fc.constant(ops),
        // After which operation each release comes, and whom it releases.
        releases: fc.array(fc.record({ after: fc.nat(60), viewer: fc.nat(VIEWERS - 1) }), { maxLength: 30 }),
      }),
    );
    fc.assert(
      fc.property(run, ({ economy, ops, releases }) => {
        const kept = new Releasing(economy, []);
        const released = new Releasing(economy, releases);
        expect(runOps(released, ops)).toEqual(runOps(kept, ops));
        expect(released.seen).toEqual(kept.seen);
        expect([...released.balances()]).toEqual([...kept.balances()]);
        expect([...released.entries()]).toEqual([...kept.entries()]);
        expect(released.viewers).toBe(kept.viewers);
        expect(checkLedgerState(released).violations).toEqual([]);
        // A row is held only by a viewer not released since it last traded, or one that holds coins.
        expect(released.viewerRowsHeld).toBeLessThanOrEqual(kept.viewerRowsHeld);
      }),
      { numRuns: 150 },
    );
  });

  it('keeps the coins of a viewer that still holds some, and a refund can take them back', () => {
    const ledger = new Ledger(testEconomy);
    expect(ledger.purchase(7, APP, 1, 0, 'p1')).toBe(Status.Ok);
    const coins = ledger.coinsOf(7);
    expect(coins).toBeGreaterThan(0);
    ledger.release(7);
    expect(ledger.coinsOf(7)).toBe(coins);
    expect(ledger.viewerRowsHeld).toBe(1);
    // Another viewer taking a row now must not see, nor take, viewer 7's coins.
    expect(ledger.gift(8, 0, ROSE, 1, 1)).toBe(Status.InsufficientCoins);
    expect(ledger.coinsOf(7)).toBe(coins);
    expect(ledger.refund('p1', 2)).toBe(Status.Ok);
    expect(ledger.coinsOf(7)).toBe(0);
    expect(checkLedgerState(ledger).violations).toEqual([]);
  });

  it('hands a released row to the next viewer, which starts from no coins', () => {
    const ledger = new Ledger(testEconomy);
    expect(ledger.purchase(1, APP, 1, 0)).toBe(Status.Ok);
    expect(ledger.gift(2, 0, ROSE, 1, 1)).toBe(Status.InsufficientCoins); // viewer 2 gets a row, empty
    ledger.release(2);
    expect(ledger.viewerRowsHeld).toBe(1);
    expect(ledger.gift(3, 0, ROSE, 1, 2)).toBe(Status.InsufficientCoins); // takes viewer 2's row
    expect(ledger.viewerRowsHeld).toBe(2);
    expect([ledger.coinsOf(2), ledger.coinsOf(3)]).toEqual([0, 0]);
    expect(ledger.coinsOf(1)).toBeGreaterThan(0);
  });

  it('a viewer released and trading again before anyone else keeps its own row (the last-row cache is dropped)', () => {
    const ledger = new Ledger(testEconomy);
    expect(ledger.gift(5, 0, ROSE, 1, 0)).toBe(Status.InsufficientCoins); // viewer 5's row, empty
    ledger.release(5);
    expect(ledger.purchase(5, APP, 1, 1)).toBe(Status.Ok); // a new row, not the freed one
    const coins = ledger.coinsOf(5);
    expect(coins).toBeGreaterThan(0);
    expect(ledger.gift(6, 0, ROSE, 1, 2)).toBe(Status.InsufficientCoins); // takes the freed row
    expect(ledger.coinsOf(5)).toBe(coins);
    expect(ledger.coinsOf(6)).toBe(0);
    expect(checkLedgerState(ledger).violations).toEqual([]);
  });

  it('grows past the rows made up front and past the free list, losing no coins', () => {
    const ledger = new Ledger(testEconomy, { viewers: 1_000_000 });
    // More viewers holding coins at once than the 1,024 rows made up front.
    for (let v = 0; v < 2000; v++) expect(ledger.purchase(v, APP, 0, v)).toBe(Status.Ok);
    const each = ledger.coinsOf(0);
    for (let v = 0; v < 2000; v++) expect(ledger.coinsOf(v)).toBe(each);
    expect(ledger.viewerRowsHeld).toBe(2000);
    // Rows and their map take at least 8 bytes and two 4-byte slots per row.
    expect(ledger.viewerBytes).toBeGreaterThanOrEqual(2000 * (8 + 8));
    // Many empty-handed viewers released at once (past the free list's first 16), then as many new ones.
    for (let v = 3000; v < 3100; v++) ledger.gift(v, 0, ROSE, 1, v);
    for (let v = 3000; v < 3100; v++) ledger.release(v);
    expect(ledger.viewerRowsHeld).toBe(2000);
    // Another pack, so that a row handed out twice would show in the first viewers' coins.
    for (let v = 4000; v < 4100; v++) expect(ledger.purchase(v, APP, 1, v)).toBe(Status.Ok);
    const other = ledger.coinsOf(4000);
    expect(other).not.toBe(each);
    for (let v = 4000; v < 4100; v++) expect(ledger.coinsOf(v)).toBe(other);
    for (let v = 0; v < 2000; v++) expect(ledger.coinsOf(v)).toBe(each);
    expect(ledger.viewerRowsHeld).toBe(2100);
    expect(checkLedgerState(ledger).violations).toEqual([]);
  });

  it('holds as many rows for a million viewers passing through as for one, when each leaves empty-handed', () => {
    const ledger = new Ledger(testEconomy, { viewers: 1_000_000 });
    const bytesAfter = (from: number, to: number) => {
      for (let v = from; v < to; v++) {
        ledger.gift(v, 0, ROSE, 1, v); // refused: the viewer holds nothing, but it has a row now
        ledger.release(v);
      }
      return ledger.viewerBytes;
    };
    const small = bytesAfter(0, 100);
    expect(bytesAfter(100, 1_000_000)).toBe(small);
    expect(ledger.viewerRowsHeld).toBe(0);
    expect(ledger.viewers).toBe(1_000_000);
    expect(ledger.viewerBytes).toBeLessThan(64 * 1024);
  });
});
