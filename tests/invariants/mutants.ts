/**
 * Deliberately broken ledgers, each breaking one rule — a decision, by a kernel with that rule broken
 * (`sim/kernel/broken.ts`), or the storage, by overriding one method — so that the mutant tests can
 * show the checker names exactly the invariant that rule protects.
 */
import type { Economy } from '../../sim/economy/types.ts';
import type { InvariantId } from '../../sim/invariants/types.ts';
import { BROKEN, type BrokenRule } from '../../sim/kernel/broken.ts';
import { Status } from '../../sim/kernel/status.ts';
import { Family, PlatformAccount, UnitCode } from '../../sim/ledger/accounts.ts';
import { Ledger, type LedgerOptions } from '../../sim/ledger/ledger.ts';

/** 1: credits the platform's diamond issue in USD instead of DIAMOND (a posting to the wrong unit). */
export class WrongUnitLedger extends Ledger {
  constructor(economy: Economy, options: LedgerOptions = {}) {
    super(economy, { ...options, paranoid: false });
  }
  override post(family: Family, key: number, unit: UnitCode, amount: number): void {
    const wrong = family === Family.Platform && key === PlatformAccount.DiamondsIssued;
    super.post(family, key, wrong ? UnitCode.Usd : unit, amount);
  }
}

/** A ledger deciding with a kernel that breaks `rule`. */
function brokenKernel(rule: BrokenRule): (economy: Economy, options?: LedgerOptions) => Ledger {
  return (economy, options = {}) => new Ledger(economy, { ...options, kernel: BROKEN[rule].kernel });
}

/**
 * 3: a lost update: the viewer's debit for a gift is written and then overwritten by a stale read, as
 * two racing read-modify-writes do. The journal has the gift; the viewer's balance does not.
 */
export class LostUpdateLedger extends Ledger {
  override gift(
    viewer: number,
    creator: number,
    gift: number,
    count: number,
    at: number,
    opId?: string,
  ): Status {
    const stale = this.coinsOf(viewer);
    const status = super.gift(viewer, creator, gift, count, at, opId);
    if (status === Status.Ok && !this.lastReplayed) this.viewerCoins[this.viewerRow(viewer)] = stale;
    return status;
  }
}

/** 6: forgets every key, so a replay is applied again (a double apply). */
export class ForgetfulLedger extends Ledger {
  protected override remember(_opId: string | undefined, status: Status): Status {
    return status;
  }
}

/** 7: answers a committed withdrawal with an error (the client sees 409, the journal has the entry). */
export class ErrorAfterCommitLedger extends Ledger {
  override withdraw(creator: number, requestedDiamonds: number, at: number, opId?: string): Status {
    const status = super.withdraw(creator, requestedDiamonds, at, opId);
    return status === Status.Ok ? Status.InsufficientDiamonds : status;
  }
}

export interface Mutant {
  name: string;
  invariant: InvariantId;
  make: (economy: Economy, options?: LedgerOptions) => Ledger;
  /** Whether checkLedgerState (no journal) can see it at all. */
  stateVisible: boolean;
  /**
   * When the final state must show it, given that the mutant's balances differ from a healthy ledger's.
   * State checks see only the end: an overdraft covered again by a later purchase or gift leaves no trace.
   */
  showsInState?: (broken: Ledger) => boolean;
}

function anyNegativeViewer(ledger: Ledger): boolean {
  for (let v = 0; v < ledger.viewers; v++) if (ledger.coinsOf(v) < 0) return true;
  return false;
}

function anyNegativeCreator(ledger: Ledger): boolean {
  for (let c = 0; c < ledger.creators; c++) if (ledger.diamondsOf(c) < 0) return true;
  return false;
}

export const MUTANTS: readonly Mutant[] = [
  {
    name: 'posting to the wrong unit',
    invariant: 1,
    make: (e, o) => new WrongUnitLedger(e, o),
    stateVisible: false,
  },
  {
    name: 'missing balance check',
    invariant: 2,
    make: brokenKernel('no-balance-check'),
    stateVisible: true,
    showsInState: anyNegativeViewer,
  },
  { name: 'lost update', invariant: 3, make: (e, o) => new LostUpdateLedger(e, o), stateVisible: true },
  { name: 'diamonds rounded up', invariant: 4, make: brokenKernel('round-up'), stateVisible: true },
  { name: 'carry dropped', invariant: 4, make: brokenKernel('drop-carry'), stateVisible: true },
  { name: 'fee dropped', invariant: 5, make: brokenKernel('drop-fee'), stateVisible: true },
  {
    name: 'double apply on replay',
    invariant: 6,
    make: (e, o) => new ForgetfulLedger(e, o),
    stateVisible: false,
  },
  {
    name: 'withdrawal under the minimum',
    invariant: 8,
    make: brokenKernel('no-minimum'),
    stateVisible: true,
  },
  {
    name: 'withdrawal over the balance',
    invariant: 8,
    make: brokenKernel('over-redeem'),
    stateVisible: true,
    showsInState: anyNegativeCreator,
  },
];
