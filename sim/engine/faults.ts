/**
 * Deliberately broken engines, for the tests that prove the invariant checks catch a broken run (the
 * CLI takes one from GIFTLAB_SIM_FAULT; nothing else uses them). Each breaks exactly one rule.
 */
import type { Economy } from '../economy/types.ts';
import { BROKEN } from '../kernel/broken.ts';
import { Ledger, type LedgerOptions } from '../ledger/ledger.ts';
import type { TraderFaults } from './trader.ts';

export const FAULTS = ['overdraw', 'drop-carry'] as const;
export type FaultName = (typeof FAULTS)[number];

export function isFault(name: string): name is FaultName {
  return (FAULTS as readonly string[]).includes(name);
}

export function createLedger(economy: Economy, options: LedgerOptions, fault?: FaultName): Ledger {
  switch (fault) {
    case undefined:
      return new Ledger(economy, options);
    case 'overdraw':
      return new Ledger(economy, { ...options, kernel: BROKEN['no-balance-check'].kernel });
    case 'drop-carry':
      return new Ledger(economy, { ...options, kernel: BROKEN['drop-carry'].kernel });
  }
}

/** What the engine itself does wrong alongside the ledger (the overdraft needs gifts sent unpaid). */
export function traderFaults(fault?: FaultName): TraderFaults {
  return { skipPurchases: fault === 'overdraw' };
}
