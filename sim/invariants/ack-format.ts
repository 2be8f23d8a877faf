/**
 * Acknowledgements, once: what a client recorded for each write it sent — `{ opId, kind, status,
 * response }`, status 0 when the outcome is unknown (timeout, reset). The k6 suite logs them (its
 * writers in load/k6/lib/acks.ts), `giftlab load` gathers the log lines into `acks.jsonl`
 * (load/bundle/acks.ts), the audit reads that file (load/audit/files.ts) and the checker reconciles them
 * with the journal (acks.ts). Each of those checks an ack with `ackProblem` and writes one with `ackJson`.
 */
import { limits } from '../../common/limits.ts';
import {
  anything,
  canonical,
  type Infer,
  int,
  object,
  oneOf,
  optional,
  type ShapeProblem,
  shapeProblem,
  string,
} from '../../common/shape.ts';
import { ENTRY_KINDS } from '../ledger/journal.ts';

export const ACK_SHAPE = object({
  opId: string(1, limits.opIdCharsMax, undefined, 'the Idempotency-Key the write was sent with'),
  kind: oneOf(ENTRY_KINDS),
  status: int(0, 599, 'HTTP status; 0 when the outcome is unknown (timeout, connection reset)'),
  response: optional(anything('the answer body, as the target sent it')),
});

export type Ack = Infer<typeof ACK_SHAPE>;

/** The first problem of an untrusted ack, or undefined when it is well-formed. */
export function ackProblem(value: unknown): ShapeProblem | undefined {
  return shapeProblem(ACK_SHAPE, value);
}

/** One ack as a line of `acks.jsonl` (its fields only, in order). */
export function ackJson(ack: Ack): string {
  return JSON.stringify(canonical(ACK_SHAPE, ack));
}
