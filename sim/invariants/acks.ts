/**
 * Invariant 7 (and the replay half of 6) from a client's acknowledgements: an operation the target
 * answered 2xx is in the journal exactly once; one it answered 4xx or 5xx changed nothing; one whose
 * outcome is unknown (status 0: timeout, reset) appears at most once; no entry lacks a request.
 */
import type { EntryKind } from '../ledger/journal.ts';
import { type Ack, ackProblem } from './ack-format.ts';
import type { Violation } from './types.ts';

export interface JournaledOp {
  seq: number;
  kind: EntryKind;
  count: number;
}

export interface AckOptions {
  /** Entries that legitimately have no ack (e.g. a server's seeding); default: none. */
  isExpectedWithoutAck?: (opId: string) => boolean;
}

export function reconcileAcks(
  acks: Iterable<Ack>,
  journaled: ReadonlyMap<string, JournaledOp>,
  options: AckOptions,
  report: (v: Violation) => void,
): number {
  const byOp = new Map<string, Ack[]>();
  let seen = 0;
  for (const ack of acks) {
    seen++;
    const problem = ackProblem(ack);
    if (problem !== undefined) {
      report({
        invariant: 7,
        seq: null,
        opId: null,
        accounts: [],
        expected: 'an ack',
        found: 'malformed',
        message: `malformed ack: ${problem.field} should be ${problem.expected}, found ${problem.found}`,
      });
      continue;
    }
    const list = byOp.get(ack.opId);
    if (list === undefined) byOp.set(ack.opId, [ack]);
    else list.push(ack);
  }
  for (const [opId, list] of byOp) checkOp(opId, list, journaled.get(opId), report);
  for (const [opId, op] of journaled) {
    if (byOp.has(opId) || options.isExpectedWithoutAck?.(opId)) continue;
    report({
      invariant: 7,
      seq: op.seq,
      opId,
      accounts: [],
      expected: 'an acknowledged request',
      found: `a ${op.kind} entry nobody asked for`,
      message: `journal entry ${op.seq} (${opId}) has no request in the acks`,
    });
  }
  return seen;
}

function checkOp(
  opId: string,
  acks: Ack[],
  op: JournaledOp | undefined,
  report: (v: Violation) => void,
): void {
  const ok = acks.filter((a) => a.status >= 200 && a.status < 300);
  const failed = acks.filter((a) => a.status >= 400);
  const base = { seq: op?.seq ?? null, opId, accounts: [] };
  if (ok.length > 0 && op === undefined) {
    report({
      ...base,
      invariant: 7,
      expected: 'in the journal once',
      found: 'missing',
      message: `${opId} was acknowledged (${ok[0].status}) but is not in the journal`,
    });
    return;
  }
  if (ok.length > 0 && op !== undefined && op.kind !== ok[0].kind) {
    report({
      ...base,
      invariant: 7,
      expected: ok[0].kind,
      found: op.kind,
      message: `${opId} was acknowledged as a ${ok[0].kind} but journaled as a ${op.kind}`,
    });
  }
  // Acknowledged, or sent with its outcome unknown: in the journal at most once either way.
  if (op !== undefined && op.count > 1 && (ok.length > 0 || acks.some((a) => a.status === 0))) {
    report({
      ...base,
      invariant: 7,
      expected: 'in the journal once',
      found: `${op.count} entries`,
      message: `${opId} is in the journal ${op.count} times (entry ${op.seq} first) for ${ok.length > 0 ? `an operation acknowledged ${ok[0].status}` : 'an operation whose outcome was unknown'}`,
    });
  }
  const ackedSeq = ok.map((a) => seqOf(a.response)).find((s) => s !== undefined);
  if (op !== undefined && ackedSeq !== undefined && ackedSeq !== op.seq) {
    report({
      ...base,
      invariant: 7,
      expected: ackedSeq,
      found: op.seq,
      message: `${opId} was acknowledged as entry ${ackedSeq} but journaled as ${op.seq}`,
    });
  }
  const seqs = new Set(ok.map((a) => seqOf(a.response)).filter((s) => s !== undefined));
  if (seqs.size > 1) {
    report({
      ...base,
      invariant: 6,
      expected: 'one result for every replay',
      found: `entries ${[...seqs].join(', ')}`,
      message: `replays of ${opId} returned different results`,
    });
  }
  if (ok.length === 0 && failed.length > 0 && op !== undefined) {
    report({
      ...base,
      invariant: 7,
      expected: 'no effect',
      found: `entry ${op.seq}`,
      message: `${opId} was answered ${failed[0].status} but changed balances (entry ${op.seq})`,
    });
  }
}

function seqOf(response: unknown): number | undefined {
  if (typeof response !== 'object' || response === null) return undefined;
  const seq = (response as { seq?: unknown }).seq;
  return Number.isSafeInteger(seq) ? (seq as number) : undefined;
}
