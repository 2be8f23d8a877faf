/**
 * The operation log of a simulation run (`ops.jsonl`, written by `giftlab run --journal`): every call
 * the engine made on its ledger, in order, with what a client needs to re-issue it as an API request —
 * pack and gift ids, counts, requested diamonds — and what the ledger answered. The ledger's journal
 * alone cannot be replayed: an entry holds coins and diamonds, not which gift or pack they came from.
 *
 * Line 1 is the header (format, scenario, seed, the economy the run applied, sizes); every further line
 * is one operation. Ids are the economy's (`app`, `c350`, `rose`), results the error codes of the
 * reference API (`ok`, `GIFT_ERR_BELOW_MINIMUM`), viewers and creators the simulation's numbers.
 */
import type { Economy } from '../../sim/economy/types.ts';

export const OPS_FORMAT = 'giftlab-ops/1';

export interface OpsHeader {
  format: typeof OPS_FORMAT;
  scenario: string;
  seed: number;
  /** Only replication 0 is recorded. */
  replication: 0;
  /** Simulated seconds. */
  duration: number;
  population: { viewers: number; creators: number };
  economy: Economy;
  /** Operations that follow the header, and how many of them wrote a journal entry. */
  ops: number;
  entries: number;
}

/** `ok`, or the code the reference API answers a refusal with (the codes of `sim/kernel/status.ts`). */
export type OpResult = 'ok' | string;

interface OpBase {
  /** `sim-<n>`, n from 1 in run order; the journal entry the operation wrote carries the same id. */
  opId: string;
  /** Simulated second. */
  at: number;
  result: OpResult;
}

export interface PurchaseOp extends OpBase {
  kind: 'purchase';
  viewer: number;
  channel: string;
  pack: string;
}

export interface GiftOp extends OpBase {
  kind: 'gift';
  viewer: number;
  creator: number;
  gift: string;
  count: number;
}

export interface WithdrawalOp extends OpBase {
  kind: 'withdrawal';
  creator: number;
  /** Diamonds requested (the ledger takes those that make whole cents). */
  diamonds: number;
}

export type SimOp = PurchaseOp | GiftOp | WithdrawalOp;
export type SimOpKind = SimOp['kind'];

export function simOpId(n: number): string {
  return `sim-${n}`;
}

/** The accounts an operation reads or writes, as `viewer:<n>` / `creator:<n>` in simulation numbers. */
export function opAccounts(op: SimOp): string[] {
  switch (op.kind) {
    case 'purchase':
      return [`viewer:${op.viewer}`];
    case 'gift':
      return [`viewer:${op.viewer}`, `creator:${op.creator}`];
    case 'withdrawal':
      return [`creator:${op.creator}`];
  }
}

/** `gift sim-17 at 3,611 s: viewer 4 → creator 9, rose × 5` — for people. */
export function describeOp(op: SimOp): string {
  const at = `${op.opId} at ${op.at.toLocaleString('en-US')} s`;
  switch (op.kind) {
    case 'purchase':
      return `purchase ${at}: viewer ${op.viewer} buys ${op.pack} on ${op.channel}`;
    case 'gift':
      return `gift ${at}: viewer ${op.viewer} → creator ${op.creator}, ${op.gift} × ${op.count}`;
    case 'withdrawal':
      return `withdrawal ${at}: creator ${op.creator} cashes out ${op.diamonds.toLocaleString('en-US')} diamonds`;
  }
}
