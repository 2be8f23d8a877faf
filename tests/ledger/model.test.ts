/** Model-based test: random command sequences drive the ledger and a plain model side by side. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkJournal, checkLedgerState } from '../../sim/invariants/index.ts';
import { Ledger } from '../../sim/ledger/ledger.ts';
import { economyArb } from '../support/arbitraries.ts';
import { ledgerCommands } from './model/commands.ts';
import { newModel } from './model/model.ts';

describe('ledger against a model', () => {
  it('agrees with the model after every purchase, gift, withdrawal, refund and replay', () => {
    const scenario = economyArb.chain((economy) =>
      fc.record({
        economy: fc.constant(economy),
        commands: fc.commands(ledgerCommands(economy), { maxCommands: 60, size: 'max' }),
      }),
    );
    fc.assert(
      fc.property(scenario, ({ economy, commands }) => {
        const real = new Ledger(economy);
        fc.modelRun(() => ({ model: newModel(economy), real }), commands);
        // And the invariants hold on whatever the commands left behind.
        expect(checkJournal(real.entries(), { economy }, { stated: real.balances() }).violations).toEqual([]);
        expect(checkLedgerState(real).violations).toEqual([]);
      }),
    );
  });
});
