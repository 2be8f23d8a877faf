/**
 * The invariants checked on an in-memory ledger's state, for runs that keep no journal: balances and
 * the running totals kept beside them must agree. Each check reads a quantity two ways (the balance
 * and the counter, or the counter and what the rules say it should be), so a ledger that posts wrong
 * cannot agree with itself.
 */

import { BP, limits } from '../../common/limits.ts';
import { diamondsToCents, feesOf, PURCHASE_FEES } from '../economy/rules.ts';
import { PlatformAccount, UnitCode } from '../ledger/accounts.ts';
import type { Ledger } from '../ledger/ledger.ts';
import { type CheckResult, type InvariantId, LEDGER_STATE_INVARIANTS, type Violation } from './types.ts';

export function checkLedgerState(
  ledger: Ledger,
  maxViolations: number = limits.violationsKeptMax,
): CheckResult {
  const violations: Violation[] = [];
  let count = 0;
  const report = (
    invariant: InvariantId,
    accounts: string[],
    expected: string | number,
    found: string | number,
    message: string,
  ) => {
    count++;
    if (violations.length < maxViolations)
      violations.push({ invariant, seq: null, opId: null, accounts, expected, found, message });
  };
  checkUnitSums(ledger, report);
  checkNonNegative(ledger, report);
  checkCoins(ledger, report);
  checkDiamonds(ledger, report);
  checkCash(ledger, report);
  checkWithdrawals(ledger, report);
  return {
    checked: [...LEDGER_STATE_INVARIANTS],
    entries: ledger.entryCount,
    violationCount: count,
    violations,
  };
}

type Report = (
  invariant: InvariantId,
  accounts: string[],
  expected: string | number,
  found: string | number,
  message: string,
) => void;

function checkUnitSums(ledger: Ledger, report: Report): void {
  const units = ['COIN', 'DIAMOND', 'USD'] as const;
  for (let u = 0; u < 3; u++) {
    const sum = ledger.unitSum(u);
    if (sum !== 0) report(1, [], 0, sum, `${units[u]} balances sum to ${sum}, not 0`);
  }
}

function checkNonNegative(ledger: Ledger, report: Report): void {
  // Balances are checked as they are posted (the counters) and as they are read back now, so an
  // overdraft that later purchases covered up still shows.
  const t = ledger.totals;
  if (t.viewerOverdrafts > 0)
    report(2, [], 0, t.viewerOverdrafts, `${t.viewerOverdrafts} posting(s) left a viewer's coins negative`);
  if (t.creatorOverdrafts > 0)
    report(
      8,
      [],
      0,
      t.creatorOverdrafts,
      `${t.creatorOverdrafts} withdrawal posting(s) left a creator's diamonds negative`,
    );
  for (let v = 0; v < ledger.viewers; v++) {
    const coins = ledger.coinsOf(v);
    if (coins < 0) report(2, [`viewer:${v}`], '>= 0', coins, `viewer:${v} holds ${coins} coins`);
  }
  // Only withdrawals debit a creator's diamonds, so a negative balance is a withdrawal over the balance:
  // invariant 8, as the journal checker reports it, so that one broken ledger gets one verdict either way.
  for (let c = 0; c < ledger.creators; c++) {
    const diamonds = ledger.diamondsOf(c);
    if (diamonds < 0)
      report(8, [`creator:${c}`], '>= 0', diamonds, `creator:${c} withdrew down to ${diamonds} diamonds`);
  }
}

function checkCoins(ledger: Ledger, report: Report): void {
  const t = ledger.totals;
  let outstanding = 0;
  for (let v = 0; v < ledger.viewers; v++) outstanding += ledger.coinsOf(v);
  const expected = t.coinsPurchased - t.coinsSpent - t.coinsRefunded;
  if (outstanding !== expected) {
    report(
      3,
      [],
      expected,
      outstanding,
      `viewers hold ${outstanding} coins; purchased ${t.coinsPurchased} − spent ${t.coinsSpent} − refunded ${t.coinsRefunded} = ${expected}`,
    );
  }
  const issued = -ledger.platformBalance(PlatformAccount.CoinsIssued, UnitCode.Coin);
  if (issued !== t.coinsPurchased)
    report(
      3,
      ['platform:coins_issued'],
      t.coinsPurchased,
      issued,
      `coins issued ${issued} ≠ coins purchased ${t.coinsPurchased}`,
    );
}

function checkDiamonds(ledger: Ledger, report: Report): void {
  const shareBp = ledger.economy.creatorShareBp;
  let owedBp = 0;
  let carried = 0;
  for (let c = 0; c < ledger.creators; c++) {
    const carry = ledger.carryOf(c);
    carried += carry;
    owedBp += ledger.coinsReceivedBy(c) * shareBp;
    if (carry < 0 || carry >= BP)
      report(4, [`creator:${c}`], `0 <= carry < ${BP}`, carry, `creator:${c} carries ${carry / BP} diamonds`);
  }
  const credited = ledger.totals.diamondsCredited;
  if (credited * BP + carried !== owedBp) {
    report(
      4,
      [],
      owedBp,
      credited * BP + carried,
      `diamonds credited ${credited} plus carried ${carried / BP} ≠ creator share of coins ${owedBp / BP}`,
    );
  }
  const issued = -ledger.platformBalance(PlatformAccount.DiamondsIssued, UnitCode.Diamond);
  if (issued !== credited)
    report(
      4,
      ['platform:diamonds_issued'],
      credited,
      issued,
      `diamonds issued ${issued} ≠ diamonds credited ${credited}`,
    );
}

function checkCash(ledger: Ledger, report: Report): void {
  let netSum = 0;
  ledger.economy.channels.forEach((channel, ch) => {
    let gross = 0;
    const fees = PURCHASE_FEES.map(() => 0);
    channel.packs.forEach((pack, p) => {
      const { bought, refunded } = ledger.packCount(ch, p);
      const n = bought - refunded;
      gross += n * pack.priceCents;
      feesOf(channel, pack.priceCents).forEach((fee, i) => {
        fees[i] += n * fee;
      });
    });
    const cash = ledger.channelCash(ch);
    if (cash.grossCents !== gross)
      report(
        5,
        [`buyers:${channel.id}`],
        gross,
        cash.grossCents,
        `${channel.id}: gross ${cash.grossCents}¢ ≠ packs sold ${gross}¢`,
      );
    PURCHASE_FEES.forEach((f, i) => {
      if (cash.feeCents[i] !== fees[i])
        report(
          5,
          [`${f.family}:${channel.id}`],
          fees[i],
          cash.feeCents[i],
          `${channel.id}: ${f.plural} ${cash.feeCents[i]}¢ ≠ ${fees[i]}¢`,
        );
    });
    netSum += gross - fees.reduce((a, b) => a + b, 0);
  });
  const t = ledger.totals;
  const cash = ledger.platformBalance(PlatformAccount.Cash, UnitCode.Usd);
  const withdrawnGross = t.payoutsNetCents + t.withdrawalFeesCents;
  if (cash + withdrawnGross !== netSum) {
    report(
      5,
      ['platform:cash'],
      netSum,
      cash + withdrawnGross,
      `platform cash ${cash}¢ + withdrawals ${withdrawnGross}¢ ≠ net revenue ${netSum}¢`,
    );
  }
}

function checkWithdrawals(ledger: Ledger, report: Report): void {
  const t = ledger.totals;
  const economy = ledger.economy;
  const redeemed = ledger.platformBalance(PlatformAccount.DiamondsRedeemed, UnitCode.Diamond);
  if (redeemed !== t.diamondsWithdrawn)
    report(
      8,
      ['platform:diamonds_redeemed'],
      t.diamondsWithdrawn,
      redeemed,
      `diamonds redeemed ${redeemed} ≠ withdrawn ${t.diamondsWithdrawn}`,
    );
  const gross = diamondsToCents(economy.diamondValueMilliCents, t.diamondsWithdrawn);
  if (t.payoutsNetCents + t.withdrawalFeesCents !== gross) {
    report(
      8,
      [],
      gross,
      t.payoutsNetCents + t.withdrawalFeesCents,
      `payouts + fees ≠ value of ${t.diamondsWithdrawn} diamonds withdrawn`,
    );
  }
  if (t.withdrawals > 0 && t.smallestWithdrawalDiamonds < economy.withdrawal.minDiamonds) {
    report(
      8,
      [],
      `>= ${economy.withdrawal.minDiamonds}`,
      t.smallestWithdrawalDiamonds,
      `a withdrawal of ${t.smallestWithdrawalDiamonds} diamonds is under the minimum`,
    );
  }
}
