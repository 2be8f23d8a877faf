/**
 * Model-based test of the reference API against the in-memory ledger, over generated economies: every
 * answer is the one the ledger predicts, and at the end the server's journal is the ledger's journal —
 * same entries, same accounts, same postings in the same order — and its stated balances are the ledger's.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../load/target/app.ts';
import { Ledger } from '../../sim/ledger/ledger.ts';
import { economyArb } from '../support/arbitraries.ts';
import {
  BalancesCommand,
  ConflictCommand,
  GiftCommand,
  type Model,
  PurchaseCommand,
  type Real,
  RefundCommand,
  ReplayCommand,
  WithdrawCommand,
} from './model/commands.ts';
import { auth } from './support/server.ts';

const VIEWERS = 3;
const CREATORS = 2;

const purchase = fc
  .tuple(fc.nat(VIEWERS - 1), fc.nat(3), fc.nat(3))
  .map(([v, c, p]) => new PurchaseCommand(v, c, p));
const gift = fc
  .tuple(
    fc.nat(VIEWERS - 1),
    fc.nat(CREATORS - 1),
    fc.nat(4),
    fc.oneof({ arbitrary: fc.integer({ min: 1, max: 3 }), weight: 4 }, fc.integer({ min: 1, max: 60 })),
  )
  .map(([v, c, g, n]) => new GiftCommand(v, c, g, n));

// Purchases and gifts drawn more often than the rest, so that most runs have balances to spend.
const commands = fc.commands(
  [
    purchase,
    purchase,
    gift,
    gift,
    gift,
    fc
      .tuple(
        fc.nat(CREATORS - 1),
        fc.integer({ min: 1, max: 2_000 }),
        fc.option(fc.integer({ min: 1, max: 100 })),
      )
      .map(([c, d, p]) => new WithdrawCommand(c, d, p ?? undefined)),
    fc.nat(5).map((b) => new RefundCommand(b)),
    fc.nat(8).map((b) => new ReplayCommand(b)),
    fc.nat(8).map((b) => new ConflictCommand(b)),
    fc.tuple(fc.nat(VIEWERS - 1), fc.nat(CREATORS - 1)).map(([v, c]) => new BalancesCommand(v, c)),
  ],
  { maxCommands: 40 },
);

describe('reference API, model-based (fc.asyncModelRun against the in-memory ledger)', () => {
  it('answers as the ledger does and journals exactly what the ledger journals', async () => {
    await fc.assert(
      fc.asyncProperty(economyArb, commands, async (economy, cmds) => {
        const app = buildApp({ economy, scenarioName: 'generated' });
        try {
          await app.ready();
          const users = app.target.seedUsers(Math.max(VIEWERS, CREATORS));
          const model: Model = { ledger: new Ledger(economy), economy, sent: [], nextKey: 0 };
          const real: Real = { app, users };
          await fc.asyncModelRun(() => ({ model, real }), cmds);

          const journal = await app.inject({
            url: '/v1/journal?limit=10000',
            headers: auth(users.adminToken),
          });
          const served = (journal.json() as { entries: { at: number }[] }).entries.map(
            ({ at: _at, ...e }) => e,
          );
          const expected = [...model.ledger.entries()].map(({ at: _at, ...e }) => e);
          expect(served).toEqual(expected);

          const stated = await app.inject({
            url: '/v1/balances?limit=10000',
            headers: auth(users.adminToken),
          });
          const nonZero = (stated.json() as { balances: { balance: number }[] }).balances.filter(
            (b) => b.balance !== 0,
          );
          const sort = (xs: { account: string; unit: string }[]) =>
            [...xs].sort((a, b) => `${a.account}|${a.unit}`.localeCompare(`${b.account}|${b.unit}`));
          expect(sort(nonZero as never)).toEqual(sort([...model.ledger.balances()]));
        } finally {
          await app.close();
        }
      }),
      { numRuns: 80 },
    );
  });
});
