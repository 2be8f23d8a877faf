/**
 * A fixed sequence of requests over the test economy that gives every mutant a chance to misbehave:
 * half diamonds, a replayed purchase, an overdraft attempt, withdrawals under the minimum and over the
 * balance, a good withdrawal and a refund. A healthy ledger accepts some and rejects others.
 */
import type { Ack } from '../../sim/invariants/ack-format.ts';
import { codeOf, Status } from '../../sim/kernel/status.ts';
import type { Ledger } from '../../sim/ledger/ledger.ts';
import { type Applied, entryKindOf, type Request, send } from '../support/arbitraries.ts';

const APP = 0;
const WEB = 1;
const ROSE = 0;
const PANDA = 1;
const CONCERT = 2;

export const SCRIPT: readonly Request[] = [
  { kind: 'purchase', viewer: 0, channel: APP, pack: 2, opId: 'buy-1' }, // 1400 coins, store fee 599 ¢
  { kind: 'purchase', viewer: 1, channel: WEB, pack: 0, opId: 'buy-2' }, // 70 coins, payment fee 32 ¢
  { kind: 'gift', viewer: 0, creator: 0, gift: ROSE, count: 1, opId: 'g-1' }, // half a diamond carried
  { kind: 'gift', viewer: 0, creator: 0, gift: ROSE, count: 1, opId: 'g-2' }, // the carry pays 1 diamond
  { kind: 'gift', viewer: 0, creator: 0, gift: CONCERT, count: 2, opId: 'g-3' }, // 500 diamonds
  { kind: 'gift', viewer: 1, creator: 1, gift: PANDA, count: 20, opId: 'g-4' }, // 100 coins of 70: refused
  { kind: 'purchase', viewer: 0, channel: APP, pack: 2, opId: 'buy-1' }, // a replay
  { kind: 'withdraw', creator: 0, diamonds: 51, opId: 'w-1' }, // 50 under the minimum of 100: refused
  { kind: 'withdraw', creator: 0, diamonds: 1000, opId: 'w-2' }, // over the 501 held: refused
  { kind: 'withdraw', creator: 0, diamonds: 200, opId: 'w-3' }, // paid: 100 ¢
  { kind: 'refund', purchaseOpId: 'buy-2', opId: 'r-1' }, // viewer 1 still holds the 70 coins
];

export function runScript(ledger: Ledger): Applied[] {
  return SCRIPT.map((request, i) => send(ledger, request, i));
}

/** What a client would have recorded: one ack per answer, with the entry's seq on success. */
export function acksOf(applied: readonly Applied[]): Ack[] {
  const acks: Ack[] = [];
  for (const a of applied) {
    const opId = a.request.opId ?? (a.status === Status.Ok ? `op-${a.seq}` : undefined);
    if (opId === undefined) continue;
    acks.push({
      opId,
      kind: entryKindOf(a.request),
      status: a.status === Status.Ok ? 200 : 409,
      response: a.status === Status.Ok ? { seq: a.seq } : { code: codeOf(a.status) },
    });
  }
  return acks;
}
