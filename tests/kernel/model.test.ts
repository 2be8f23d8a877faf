/**
 * Model-based test of the operation kernel's semantics, run against both stores that use it: random
 * command sequences drive the in-memory ledger and the reference API's SQLite book (through HTTP) side
 * by side with a plain model. Every answer of each store is the model's; at the end the two journals
 * are the same entries, accounts, postings and order, the stated balances are the same, and the
 * invariant checker finds nothing in either.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkJournal, checkLedgerState } from '../../sim/invariants/index.ts';
import type { JournalEntry } from '../../sim/ledger/journal.ts';
import { economyArb } from '../support/arbitraries.ts';
import { storeCommands } from './model/commands.ts';
import { newModel } from './model/model.ts';
import { apiStore, ledgerStore } from './model/stores.ts';

const withoutAt = (entries: JournalEntry[]) => entries.map(({ at: _at, ...e }) => e);
const sorted = <T extends { account: string; unit: string }>(xs: T[]) =>
  [...xs].sort((a, b) => `${a.account}|${a.unit}`.localeCompare(`${b.account}|${b.unit}`));

describe('the kernel against a model, in both stores', () => {
  it('answers every purchase, gift, withdrawal, refund and replay as the model does, in the ledger and the API', async () => {
    const scenario = economyArb.chain((economy) =>
      fc.record({
        economy: fc.constant(economy),
        commands: fc.commands(storeCommands(economy), { maxCommands: 50, size: 'max' }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(scenario, async ({ economy, commands }) => {
        const memory = ledgerStore(economy);
        const api = await apiStore(economy);
        try {
          await fc.asyncModelRun(() => ({ model: newModel(economy), real: [memory, api] }), commands);

          const journal = await api.journal();
          expect(withoutAt(journal)).toEqual(withoutAt(await memory.journal()));
          const stated = await api.stated();
          expect(sorted(stated)).toEqual(sorted(await memory.stated()));
          // And the invariants hold on whatever the commands left behind.
          const ledger = memory.ledger;
          expect(
            checkJournal(ledger.entries(), { economy }, { stated: ledger.balances() }).violations,
          ).toEqual([]);
          expect(checkLedgerState(ledger).violations).toEqual([]);
          expect(checkJournal(journal, { economy }, { stated }).violations).toEqual([]);
        } finally {
          await api.close();
        }
      }),
      { numRuns: 80 },
    );
  });
});
