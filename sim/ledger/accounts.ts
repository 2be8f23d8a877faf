/**
 * Account names in journals. One family per kind of holder; the family decides which units it may hold.
 * Names are `family:key`, e.g. `viewer:42`, `creator:7`, `store_fees:app`, `platform:cash`.
 */
import { PURCHASE_FEES, type PurchaseFeeFamily } from '../economy/rules.ts';
import type { Unit } from '../economy/types.ts';

export enum Family {
  Viewer = 0,
  Creator = 1,
  Platform = 2,
  Buyers = 3,
  /** The first purchase fee's family: fee i of `PURCHASE_FEES` posts to family `Fees + i`. */
  Fees = 4,
}

/** Every family's name, by Family number: the fixed ones, then one per purchase fee. */
export const FAMILY_NAMES: readonly FamilyName[] = [
  'viewer',
  'creator',
  'platform',
  'buyers',
  ...PURCHASE_FEES.map((f) => f.family),
];
export type FamilyName = 'viewer' | 'creator' | 'platform' | 'buyers' | PurchaseFeeFamily;

/** Families keyed by a channel (its index in the hot loop, its id in names): buyers and every fee. */
export function isChannelFamily(family: Family): boolean {
  return family >= Family.Buyers;
}

/** Platform accounts, keyed by a small integer in the hot loop. */
export enum PlatformAccount {
  CoinsIssued = 0,
  CoinsRefunded = 1,
  DiamondsIssued = 2,
  DiamondsRedeemed = 3,
  Cash = 4,
  WithdrawalFees = 5,
}

export const PLATFORM_ACCOUNT_NAMES = [
  'coins_issued',
  'coins_refunded',
  'diamonds_issued',
  'diamonds_redeemed',
  'cash',
  'withdrawal_fees',
] as const;

export enum UnitCode {
  Coin = 0,
  Diamond = 1,
  Usd = 2,
}

export const UNIT_OF_CODE: readonly Unit[] = ['COIN', 'DIAMOND', 'USD'];

export function unitCode(unit: Unit): UnitCode {
  return unit === 'COIN' ? UnitCode.Coin : unit === 'DIAMOND' ? UnitCode.Diamond : UnitCode.Usd;
}

export function accountName(family: Family, key: string | number): string {
  return `${FAMILY_NAMES[family]}:${key}`;
}

export function platformAccountName(account: PlatformAccount): string {
  return `platform:${PLATFORM_ACCOUNT_NAMES[account]}`;
}

export interface ParsedAccount {
  family: FamilyName | undefined;
  key: string;
}

/** Splits `family:key`; an unknown family comes back as `undefined` so that callers can report it. */
export function parseAccount(name: string): ParsedAccount {
  const colon = name.indexOf(':');
  const head = colon < 0 ? name : name.slice(0, colon);
  const key = colon < 0 ? '' : name.slice(colon + 1);
  const family = (FAMILY_NAMES as readonly string[]).includes(head) ? (head as FamilyName) : undefined;
  return { family, key };
}

export function viewerAccount(id: string | number): string {
  return `viewer:${id}`;
}

export function creatorAccount(id: string | number): string {
  return `creator:${id}`;
}

/** The family of an account name, without allocating (for checkers that run per posting). */
export function accountFamily(name: string): FamilyName | undefined {
  for (const family of FAMILY_NAMES) {
    if (name.length > family.length && name.charCodeAt(family.length) === 58 && name.startsWith(family))
      return family;
  }
  return undefined;
}
