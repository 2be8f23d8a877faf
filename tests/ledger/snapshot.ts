/** Everything observable about a ledger's state, as plain data, so that two states compare with toEqual. */
import type { Ledger } from '../../sim/ledger/ledger.ts';

export interface LedgerSnapshot {
  balances: { account: string; unit: string; balance: number }[];
  carries: number[];
  entryCount: number;
  totals: Record<string, number>;
}

export function snapshot(ledger: Ledger): LedgerSnapshot {
  const carries: number[] = [];
  for (let c = 0; c < ledger.creators; c++) carries.push(ledger.carryOf(c));
  const { rejected: _rejected, ...totals } = ledger.totals;
  return { balances: [...ledger.balances()], carries, entryCount: ledger.entryCount, totals };
}
