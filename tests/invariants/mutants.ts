/**
 * Deliberately broken ledgers, each breaking one rule by overriding one method, so that the mutant
 * tests can show the checker names exactly the invariant that rule protects.
 */
import type { PurchaseSplit } from '../../sim/economy/rules.ts';
import type { Economy } from '../../sim/economy/types.ts';
import type { InvariantId } from '../../sim/invariants/types.ts';
import { Family, PlatformAccount, UnitCode } from '../../sim/ledger/accounts.ts';
import { Ledger, type LedgerOptions } from '../../sim/ledger/ledger.ts';
import { Status } from '../../sim/ledger/status.ts';

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

/** 2: a missing balance check: viewers may spend (and be refunded) coins they do not have. */
export class NoBalanceCheckLedger extends Ledger {
  protected override canSpend(): boolean {
    return true;
  }
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
    const stale = viewer < this.viewerCoins.length ? this.viewerCoins[viewer] : 0;
    const status = super.gift(viewer, creator, gift, count, at, opId);
    if (status === Status.Ok && !this.lastReplayed) this.viewerCoins[viewer] = stale;
    return status;
  }
}

/** 4: rounds diamonds up, creating value. */
export class RoundUpLedger extends Ledger {
  protected override diamondsFor(coins: number, carry: number): number {
    return Math.ceil((coins * this.economy.creatorShareBp + carry) / 10_000);
  }
}

/** 4: drops the carried fraction of a diamond instead of keeping it. */
export class DroppedCarryLedger extends Ledger {
  protected override carryAfter(): number {
    return 0;
  }
}

/** 5: forgets the fees: the platform books the whole price as net. */
export class DroppedFeeLedger extends Ledger {
  protected override splitFor(channel: number, pack: number): PurchaseSplit {
    const split = { ...super.splitFor(channel, pack) };
    split.storeFeeCents = 0;
    split.paymentFeeCents = 0;
    split.netCents = split.grossCents;
    return split;
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

/** 8: pays withdrawals under the minimum. */
export class NoMinimumLedger extends Ledger {
  protected override meetsMinimum(): boolean {
    return true;
  }
}

/** 8: pays withdrawals over the creator's balance. */
export class OverRedeemLedger extends Ledger {
  protected override canRedeem(): boolean {
    return true;
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
    make: (e, o) => new NoBalanceCheckLedger(e, o),
    stateVisible: true,
    showsInState: anyNegativeViewer,
  },
  { name: 'lost update', invariant: 3, make: (e, o) => new LostUpdateLedger(e, o), stateVisible: true },
  { name: 'diamonds rounded up', invariant: 4, make: (e, o) => new RoundUpLedger(e, o), stateVisible: true },
  { name: 'carry dropped', invariant: 4, make: (e, o) => new DroppedCarryLedger(e, o), stateVisible: true },
  { name: 'fee dropped', invariant: 5, make: (e, o) => new DroppedFeeLedger(e, o), stateVisible: true },
  {
    name: 'double apply on replay',
    invariant: 6,
    make: (e, o) => new ForgetfulLedger(e, o),
    stateVisible: false,
  },
  {
    name: 'withdrawal under the minimum',
    invariant: 8,
    make: (e, o) => new NoMinimumLedger(e, o),
    stateVisible: true,
  },
  {
    name: 'withdrawal over the balance',
    invariant: 8,
    make: (e, o) => new OverRedeemLedger(e, o),
    stateVisible: true,
    showsInState: anyNegativeCreator,
  },
];
