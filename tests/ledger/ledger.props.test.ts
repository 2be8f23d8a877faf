/**
 * Laws of the in-memory ledger over any economy and any sequence of operations (including replays,
 * conflicting keys, refunds of unknown purchases and overdraft attempts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BP, MILLI } from '../../common/limits.ts';
import { quoteWithdrawal } from '../../sim/economy/rules.ts';
import { checkJournal, checkLedgerState } from '../../sim/invariants/index.ts';
import { checkableWith } from '../../sim/invariants/types.ts';
import { Status } from '../../sim/kernel/status.ts';
import { Ledger } from '../../sim/ledger/ledger.ts';
import {
  type Applied,
  CREATORS,
  fingerprint,
  type Request,
  runArb,
  runOps,
  send,
  VIEWERS,
} from '../support/arbitraries.ts';
import { snapshot } from './snapshot.ts';

describe('ledger laws', () => {
  it('every journal entry balances per unit, and has the shared shape', () => {
    fc.assert(
      fc.property(runArb(), ({ economy, ops }) => {
        const ledger = new Ledger(economy);
        runOps(ledger, ops);
        let seq = 0;
        for (const entry of ledger.entries()) {
          expect(entry.seq).toBe(++seq);
          const sums = { COIN: 0, DIAMOND: 0, USD: 0 };
          for (const p of entry.postings) {
            expect(Number.isSafeInteger(p.amount)).toBe(true);
            expect(p.amount).not.toBe(0);
            sums[p.unit] += p.amount;
          }
          expect(sums).toEqual({ COIN: 0, DIAMOND: 0, USD: 0 });
        }
        expect(seq).toBe(ledger.entryCount);
      }),
    );
  });

  it('conserves coins, diamonds and cents: the checker finds nothing in the journal or the state', () => {
    fc.assert(
      fc.property(runArb(), ({ economy, ops }) => {
        const ledger = new Ledger(economy);
        const applied = runOps(ledger, ops);
        const result = checkJournal(ledger.entries(), { economy }, { stated: ledger.balances() });
        expect(result.violations).toEqual([]);
        expect(result.checked).toEqual(checkableWith(new Set(['economy'])));
        expect(result.entries).toBe(ledger.entryCount);
        expect(checkLedgerState(ledger).violations).toEqual([]);
        // Every unit sums to zero over all accounts: nothing was created or destroyed.
        const sums = { COIN: 0, DIAMOND: 0, USD: 0 };
        for (const b of ledger.balances()) sums[b.unit] += b.balance;
        expect(sums).toEqual({ COIN: 0, DIAMOND: 0, USD: 0 });
        // The accepted operations add up, read a third way: from the requests themselves.
        let coins = 0;
        for (const a of applied) {
          if (a.status !== Status.Ok || a.replayed) continue;
          const r = a.request;
          if (r.kind === 'purchase') coins += economy.channels[r.channel].packs[r.pack].coins;
          if (r.kind === 'gift') coins -= economy.gifts[r.gift].coins * r.count;
        }
        const t = ledger.totals;
        expect(coins).toBe(t.coinsPurchased - t.coinsSpent);
        let held = 0;
        for (let v = 0; v < VIEWERS; v++) held += ledger.coinsOf(v);
        expect(held).toBe(t.coinsPurchased - t.coinsSpent - t.coinsRefunded);
      }),
    );
  });

  it('keeps the same balances and verdicts without a journal', () => {
    fc.assert(
      fc.property(runArb(), ({ economy, ops }) => {
        const full = new Ledger(economy);
        const lean = new Ledger(economy, { journal: false });
        const a = runOps(full, ops);
        const b = runOps(lean, ops);
        expect(b.map((x) => x.request)).toEqual(a.map((x) => x.request));
        expect(b.map((x) => x.status)).toEqual(a.map((x) => x.status));
        expect(snapshot(lean)).toEqual(snapshot(full));
        expect(checkLedgerState(lean).violations).toEqual([]);
        expect(lean.hasJournal()).toBe(false);
      }),
    );
  });

  it('never loses or doubles the carry: per creator, diamonds × BP + carry = coins received × share', () => {
    fc.assert(
      fc.property(runArb(), ({ economy, ops }) => {
        const ledger = new Ledger(economy);
        runOps(ledger, ops);
        const credited = new Map<string, number>();
        for (const e of ledger.entries()) {
          if (e.kind !== 'gift') continue;
          for (const p of e.postings) {
            if (p.unit === 'DIAMOND' && p.account.startsWith('creator:'))
              credited.set(p.account, (credited.get(p.account) ?? 0) + p.amount);
          }
        }
        for (let c = 0; c < ledger.creators; c++) {
          const diamonds = credited.get(`creator:${c}`) ?? 0;
          const carry = ledger.carryOf(c);
          expect(carry).toBeGreaterThanOrEqual(0);
          expect(carry).toBeLessThan(BP);
          expect(diamonds * BP + carry).toBe(ledger.coinsReceivedBy(c) * economy.creatorShareBp);
        }
      }),
    );
  });

  it('replays idempotently: same key + same request → first status and seq, nothing changes', () => {
    fc.assert(
      fc.property(runArb(), fc.nat(), ({ economy, ops }, pick) => {
        const ledger = new Ledger(economy);
        const applied = runOps(ledger, ops);
        const first = firstAnswers(applied);
        fc.pre(first.size > 0);
        const [opId, answer] = [...first][pick % first.size];
        const before = snapshot(ledger);
        const again = send(ledger, answer.request, 1e6);
        expect(again.status).toBe(answer.status);
        expect(ledger.lastReplayed).toBe(true);
        if (answer.status === Status.Ok) expect(ledger.lastSeq).toBe(answer.seq);
        expect(snapshot(ledger)).toEqual(before);
        if (answer.status === Status.Ok) expect(ledger.entry(answer.seq).opId).toBe(opId);
      }),
    );
  });

  it('rejects the same key with a different request as a conflict, changing nothing', () => {
    fc.assert(
      fc.property(runArb(), fc.nat(), fc.nat(CREATORS - 1), ({ economy, ops }, pick, creator) => {
        const ledger = new Ledger(economy);
        const applied = runOps(ledger, ops);
        const first = firstAnswers(applied);
        fc.pre(first.size > 0);
        const [opId, answer] = [...first][pick % first.size];
        const other: Request = { kind: 'withdraw', creator, diamonds: 1, opId };
        const different: Request =
          fingerprint(other) === fingerprint(answer.request) ? { ...other, diamonds: 2 } : other;
        const before = snapshot(ledger);
        expect(send(ledger, different, 1e6).status).toBe(Status.IdempotencyConflict);
        expect(ledger.lastReplayed).toBe(false);
        expect(snapshot(ledger)).toEqual(before);
        // …and the first request still replays to its first answer.
        expect(send(ledger, answer.request, 1e6 + 1).status).toBe(answer.status);
      }),
    );
  });

  it('never overdraws, whatever the order of the same operations', () => {
    fc.assert(
      fc.property(
        runArb().chain(({ economy, ops }) =>
          fc.record({
            economy: fc.constant(economy),
            ops: fc.shuffledSubarray(ops, { minLength: ops.length, maxLength: ops.length }),
          }),
        ),
        ({ economy, ops }) => {
          const ledger = new Ledger(economy);
          for (const op of ops) {
            runOps(ledger, [op]);
            for (let v = 0; v < ledger.viewers; v++) expect(ledger.coinsOf(v)).toBeGreaterThanOrEqual(0);
            for (let c = 0; c < ledger.creators; c++) expect(ledger.diamondsOf(c)).toBeGreaterThanOrEqual(0);
          }
        },
      ),
    );
  });

  it('withdrawals never create value: exact gross, leftover diamonds stay with the creator', () => {
    fc.assert(
      fc.property(
        runArb(),
        fc.nat(CREATORS - 1),
        fc.integer({ min: 1, max: 100_000 }),
        (run, creator, ask) => {
          const { economy, ops } = run;
          const ledger = new Ledger(economy);
          runOps(ledger, ops);
          const diamondsBefore = ledger.diamondsOf(creator);
          const paidBefore = ledger.paidOutCentsTo(creator);
          const status = ledger.withdraw(creator, ask, 1e6, 'the-withdrawal');
          const quote = quoteWithdrawal(economy, ask);
          if (status !== Status.Ok) {
            expect(ledger.diamondsOf(creator)).toBe(diamondsBefore);
            expect([Status.BelowMinimum, Status.InsufficientDiamonds]).toContain(status);
            if (status === Status.InsufficientDiamonds)
              expect(quote.diamonds).toBeGreaterThan(diamondsBefore);
            return;
          }
          expect(quote.diamonds).toBeLessThanOrEqual(diamondsBefore);
          expect(quote.diamonds).toBeGreaterThanOrEqual(economy.withdrawal.minDiamonds);
          expect(ledger.diamondsOf(creator)).toBe(diamondsBefore - quote.diamonds);
          expect(ledger.paidOutCentsTo(creator)).toBe(paidBefore + quote.netCents);
          const entry = ledger.entry(ledger.lastSeq);
          const cash = entry.postings.find((p) => p.account === 'platform:cash');
          expect(-(cash?.amount ?? 0) * MILLI).toBe(quote.diamonds * economy.diamondValueMilliCents);
        },
      ),
    );
  });
});

/** The first answer per key that the ledger remembers (past validation), with the request that got it. */
function firstAnswers(applied: Applied[]): Map<string, Applied> {
  const first = new Map<string, Applied>();
  for (const a of applied) {
    const opId = a.request.opId;
    if (opId === undefined || first.has(opId)) continue;
    if (a.status === Status.UnknownPurchase || a.status === Status.IdempotencyConflict) continue;
    first.set(opId, a);
  }
  return first;
}
