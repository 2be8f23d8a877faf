/**
 * checkLedgerState's verdicts in full — invariant, accounts, expected, found, message — for broken
 * ledgers simple enough to compute by hand, each breaking one quantity the state check reads two ways.
 */
import { describe, expect, it } from 'vitest';
import { BP } from '../../common/limits.ts';
import { checkLedgerState } from '../../sim/invariants/ledger-state.ts';
import { LEDGER_STATE_INVARIANTS, type Violation } from '../../sim/invariants/types.ts';
import { BROKEN } from '../../sim/kernel/broken.ts';
import { type Kernel, kernel } from '../../sim/kernel/operations.ts';
import { Status } from '../../sim/kernel/status.ts';
import {
  accountName,
  creatorAccount,
  Family,
  PlatformAccount,
  parseAccount,
  platformAccountName,
  UnitCode,
  unitCode,
  viewerAccount,
} from '../../sim/ledger/accounts.ts';
import { Ledger, type LedgerOptions } from '../../sim/ledger/ledger.ts';
import { testEconomy } from '../support/economy.ts';
import { LostUpdateLedger, WrongUnitLedger } from './mutants.ts';

const e = testEconomy;
const APP = 0;
const WEB = 1;
const ROSE = 0;
const PANDA = 1;
const CONCERT = 2;

const total = (
  invariant: Violation['invariant'],
  accounts: string[],
  expected: string | number,
  found: string | number,
  message: string,
): Violation => ({ invariant, seq: null, opId: null, accounts, expected, found, message });
/** As written to a report (JSON: a balance read as -0 is 0). */
const stateOf = (l: Ledger): Violation[] => JSON.parse(JSON.stringify(checkLedgerState(l).violations));
const journalLess = (k: Kernel, o: LedgerOptions = {}) => new Ledger(e, { journal: false, kernel: k, ...o });

/** Sends every posting to `from` to `to` instead (same unit, so every entry still balances). */
class Redirecting extends Ledger {
  constructor(
    private readonly from: PlatformAccount,
    private readonly to: PlatformAccount,
  ) {
    super(e, { journal: false, paranoid: false });
  }
  override post(family: Family, key: number, unit: UnitCode, amount: number): void {
    const redirect = family === Family.Platform && key === this.from;
    super.post(family, redirect ? this.to : key, unit, amount);
  }
}

/** Charges the buyer 1 ¢ more than the pack and keeps it as platform cash (every entry still balances). */
class Overcharging extends Ledger {
  override post(family: Family, key: number, unit: UnitCode, amount: number): void {
    if (family === Family.Buyers) super.post(family, key, unit, amount - 1);
    else if (family === Family.Platform && key === PlatformAccount.Cash && amount > 0)
      super.post(family, key, unit, amount + 1);
    else super.post(family, key, unit, amount);
  }
}

describe('checkLedgerState, verdict by verdict', () => {
  it('checks the invariants of its table row, and finds nothing in a healthy ledger', () => {
    const ledger = new Ledger(e, { journal: false });
    ledger.purchase(0, APP, 1, 0);
    ledger.gift(0, 0, ROSE, 3, 1);
    const r = checkLedgerState(ledger);
    expect(r.checked).toEqual([...LEDGER_STATE_INVARIANTS]);
    expect(r.checked.length).toBeGreaterThan(0);
    expect(r).toMatchObject({ entries: 2, violationCount: 0, violations: [] });
  });

  it('a viewer left negative: the overdrafting posting and the balance (2)', () => {
    const ledger = journalLess(BROKEN['no-balance-check'].kernel);
    ledger.purchase(0, APP, 0, 0); // 70 coins
    expect(ledger.gift(0, 0, CONCERT, 1, 1)).toBe(Status.Ok); // 500 coins
    expect(stateOf(ledger)).toEqual([
      total(2, [], 0, 1, "1 posting(s) left a viewer's coins negative"),
      total(2, ['viewer:0'], '>= 0', -430, 'viewer:0 holds -430 coins'),
    ]);
  });

  it('a creator left negative by a withdrawal: the posting and the balance (8)', () => {
    const ledger = journalLess(BROKEN['over-redeem'].kernel);
    ledger.purchase(0, APP, 1, 0);
    ledger.gift(0, 0, PANDA, 40, 1); // 100 diamonds
    expect(ledger.withdraw(0, 200, 2)).toBe(Status.Ok);
    expect(stateOf(ledger)).toEqual([
      total(8, [], 0, 1, "1 withdrawal posting(s) left a creator's diamonds negative"),
      total(8, ['creator:0'], '>= 0', -100, 'creator:0 withdrew down to -100 diamonds'),
    ]);
  });

  it('a posting to the wrong unit: each unit that does not sum to 0, by name (1)', () => {
    const ledger = new WrongUnitLedger(e, { journal: false });
    ledger.purchase(0, APP, 1, 0); // 350 coins
    ledger.gift(0, 0, PANDA, 40, 1); // 100 diamonds, their issue posted in USD
    expect(stateOf(ledger)).toEqual([
      total(1, [], 0, 100, 'DIAMOND balances sum to 100, not 0'),
      total(1, [], 0, -100, 'USD balances sum to -100, not 0'),
      total(4, ['platform:diamonds_issued'], 100, 0, 'diamonds issued 0 ≠ diamonds credited 100'),
    ]);
  });

  it("a lost update: the viewers' coins against purchased − spent − refunded (3)", () => {
    const ledger = new LostUpdateLedger(e, { journal: false });
    ledger.purchase(0, APP, 0, 0); // 70 coins
    expect(ledger.gift(0, 0, ROSE, 3, 1)).toBe(Status.Ok); // 3 coins spent, the debit lost
    expect(stateOf(ledger)).toEqual([
      total(3, [], 67, 70, 'viewers hold 70 coins; purchased 70 − spent 3 − refunded 0 = 67'),
    ]);
  });

  it('coins issued to another platform account: issued ≠ purchased (3)', () => {
    const ledger = new Redirecting(PlatformAccount.CoinsIssued, PlatformAccount.CoinsRefunded);
    ledger.purchase(0, APP, 0, 0);
    expect(stateOf(ledger)).toEqual([
      total(3, ['platform:coins_issued'], 70, 0, 'coins issued 0 ≠ coins purchased 70'),
    ]);
  });

  it('redeemed diamonds booked back to the issue: redeemed ≠ withdrawn (8), issued ≠ credited (4)', () => {
    const ledger = new Redirecting(PlatformAccount.DiamondsRedeemed, PlatformAccount.DiamondsIssued);
    ledger.purchase(0, APP, 1, 0);
    ledger.gift(0, 0, PANDA, 40, 1);
    expect(ledger.withdraw(0, 100, 2)).toBe(Status.Ok);
    expect(stateOf(ledger)).toEqual([
      total(4, ['platform:diamonds_issued'], 100, 0, 'diamonds issued 0 ≠ diamonds credited 100'),
      total(8, ['platform:diamonds_redeemed'], 100, 0, 'diamonds redeemed 0 ≠ withdrawn 100'),
    ]);
  });

  /** A kernel that credits `shift` diamonds more than it should and carries `shift` fewer: the sum holds. */
  const shifting = (shift: number): Kernel => ({
    ...kernel,
    decideGift(economy, gift, count, held, carry, out) {
      const status = kernel.decideGift(economy, gift, count, held, carry, out);
      out.diamonds += shift;
      out.carryAfterBp -= shift * BP;
      return status;
    },
  });

  it('a carry of a whole diamond or more, the diamond not credited (4)', () => {
    const ledger = journalLess(shifting(-1));
    ledger.purchase(0, APP, 0, 0);
    ledger.gift(0, 0, ROSE, 3, 1); // 1.5 diamonds: 1 credited and 0.5 carried, here 0 and 1.5
    expect(ledger.carryOf(0)).toBe(15_000);
    expect(stateOf(ledger)).toEqual([
      total(4, ['creator:0'], `0 <= carry < ${BP}`, 15_000, 'creator:0 carries 1.5 diamonds'),
    ]);
  });

  it('a carry of exactly one diamond is one too many (4)', () => {
    const ledger = journalLess(shifting(-1));
    ledger.purchase(0, APP, 0, 0);
    ledger.gift(0, 0, ROSE, 2, 1); // 1 diamond: credited, here 0 and 1 carried
    expect(stateOf(ledger)).toEqual([
      total(4, ['creator:0'], `0 <= carry < ${BP}`, BP, 'creator:0 carries 1 diamonds'),
    ]);
  });

  it('a negative carry, a diamond credited ahead of the coins (4)', () => {
    const ledger = journalLess(shifting(1));
    ledger.purchase(0, APP, 0, 0);
    ledger.gift(0, 0, ROSE, 1, 1); // half a diamond: 0 credited and 0.5 carried, here 1 and −0.5
    expect(ledger.diamondsOf(0)).toBe(1);
    expect(stateOf(ledger)).toEqual([
      total(4, ['creator:0'], `0 <= carry < ${BP}`, -5000, 'creator:0 carries -0.5 diamonds'),
    ]);
  });

  it('diamonds rounded up: credited × BP + carried ≠ the creator share, with both numbers (4)', () => {
    const ledger = journalLess(BROKEN['round-up'].kernel);
    ledger.purchase(0, APP, 0, 0);
    ledger.gift(0, 0, ROSE, 1, 1); // half a diamond: 1 credited, and the half carried too
    expect(stateOf(ledger)).toEqual([
      total(4, [], 5000, 15_000, 'diamonds credited 1 plus carried 0.5 ≠ creator share of coins 0.5'),
    ]);
  });

  it("fees dropped: per channel and in the platform's cash (5)", () => {
    const ledger = journalLess(BROKEN['drop-fee'].kernel);
    ledger.purchase(0, APP, 0, 0); // 99 ¢: 29 store fee
    ledger.purchase(0, WEB, 0, 1); // 74 ¢: 32 payment fee
    expect(stateOf(ledger)).toEqual([
      total(5, ['store_fees:app'], 29, 0, 'app: store fees 0¢ ≠ 29¢'),
      total(5, ['payment_fees:web'], 32, 0, 'web: payment fees 0¢ ≠ 32¢'),
      total(5, ['platform:cash'], 112, 173, 'platform cash 173¢ + withdrawals 0¢ ≠ net revenue 112¢'),
    ]);
  });

  it('a buyer charged 1 ¢ more than the pack: gross ≠ packs sold (5)', () => {
    const ledger = new Overcharging(e, { journal: false });
    ledger.purchase(0, APP, 0, 0);
    expect(stateOf(ledger)).toEqual([
      total(5, ['buyers:app'], 99, 100, 'app: gross 100¢ ≠ packs sold 99¢'),
      total(5, ['platform:cash'], 70, 71, 'platform cash 71¢ + withdrawals 0¢ ≠ net revenue 70¢'),
    ]);
  });

  it('cash taken out by withdrawals is added back before it is compared with net revenue (5)', () => {
    const ledger = new Overcharging(e, { journal: false });
    for (let i = 0; i < 3; i++) ledger.purchase(0, APP, 0, i); // 210 coins, 210 ¢ net, each 1 ¢ over
    ledger.gift(0, 0, PANDA, 40, 3); // 100 diamonds
    expect(ledger.withdraw(0, 100, 4)).toBe(Status.Ok); // 50 ¢ paid out of cash
    expect(stateOf(ledger)).toEqual([
      total(5, ['buyers:app'], 297, 300, 'app: gross 300¢ ≠ packs sold 297¢'),
      total(5, ['platform:cash'], 210, 213, 'platform cash 163¢ + withdrawals 50¢ ≠ net revenue 210¢'),
    ]);
  });

  it('a payout at twice the value, with a fee: payouts + fees ≠ the value withdrawn (8)', () => {
    const economy = { ...e, withdrawal: { minDiamonds: 100, feeBp: 1000, feeFixedCents: 0 } };
    const doubled = { ...economy, diamondValueMilliCents: 2 * e.diamondValueMilliCents };
    const ledger = new Ledger(economy, {
      journal: false,
      kernel: { ...kernel, decideWithdrawal: (_e, r, h, out) => kernel.decideWithdrawal(doubled, r, h, out) },
    });
    ledger.purchase(0, APP, 1, 0);
    ledger.gift(0, 0, PANDA, 40, 1);
    expect(ledger.withdraw(0, 100, 2)).toBe(Status.Ok); // 100 ¢ gross: 10 fee, 90 net
    expect(stateOf(ledger)).toEqual([
      total(8, [], 50, 100, 'payouts + fees ≠ value of 100 diamonds withdrawn'),
    ]);
  });

  it('a withdrawal under the minimum (8)', () => {
    const ledger = journalLess(BROKEN['no-minimum'].kernel);
    ledger.purchase(0, APP, 1, 0);
    ledger.gift(0, 0, PANDA, 40, 1);
    expect(ledger.withdraw(0, 51, 2)).toBe(Status.Ok); // 50 taken
    expect(stateOf(ledger)).toEqual([
      total(8, [], '>= 100', 50, 'a withdrawal of 50 diamonds is under the minimum'),
    ]);
  });
});

describe('account names, written', () => {
  it('family:key for every family, platform accounts by name, units by code', () => {
    expect(accountName(Family.Viewer, 3)).toBe('viewer:3');
    expect(accountName(Family.Buyers, 'app')).toBe('buyers:app');
    expect(platformAccountName(PlatformAccount.WithdrawalFees)).toBe('platform:withdrawal_fees');
    expect([viewerAccount(1), creatorAccount('2')]).toEqual(['viewer:1', 'creator:2']);
    expect([unitCode('COIN'), unitCode('DIAMOND'), unitCode('USD')]).toEqual([
      UnitCode.Coin,
      UnitCode.Diamond,
      UnitCode.Usd,
    ]);
    expect(parseAccount(':1')).toEqual({ family: undefined, key: '1' });
  });
});
