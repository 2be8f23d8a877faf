/**
 * Acks travel from every VU to the audit as log lines: k6 has no file writes and VUs share no memory,
 * so the script `console.log`s one line per write, `giftlab load` runs k6 with
 * `--log-format raw --log-output file=…` and keeps the lines that start with the prefix. Each write is
 * logged twice: `status 0` before it is sent (so an iteration cut off mid-request still leaves an
 * "outcome unknown" ack), then the answer. Under the k6-operator the lines are in the runners' logs.
 * The format is sim/invariants/ack-format.ts's; `giftlab load` parses the lines (load/bundle/acks.ts).
 */
import type { AckRecord, WriteKind } from './types.ts';

export const ACK_PREFIX = 'GIFTLAB_ACK ';

export function ackLine(ack: AckRecord): string {
  return ACK_PREFIX + JSON.stringify(ack);
}

/** The "sent, no answer yet" ack, without a JSON.stringify of an object (it is on every write's path). */
export function sentAckLine(opId: string, kind: WriteKind): string {
  return `${ACK_PREFIX}{"opId":${JSON.stringify(opId)},"kind":"${kind}","status":0,"response":null}`;
}

/**
 * The answer's ack. `raw` is the answer's body when it is one line of JSON, written as it came (no
 * parse-and-stringify on the hot path); otherwise `response` is serialised.
 */
export function answerAckLine(
  opId: string,
  kind: WriteKind,
  status: number,
  raw: string | undefined,
  response: unknown,
): string {
  const head = `${ACK_PREFIX}{"opId":${JSON.stringify(opId)},"kind":"${kind}","status":${status},"response":`;
  if (raw !== undefined && raw.indexOf('\n') < 0 && raw.indexOf('\r') < 0) return `${head}${raw}}`;
  return `${head}${JSON.stringify(response === undefined ? null : response)}}`;
}
