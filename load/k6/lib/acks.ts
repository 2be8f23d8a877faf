/**
 * Acks travel from every VU to the audit as log lines: k6 has no file writes and VUs share no memory,
 * so the script `console.log`s one line per write, `giftlab load` runs k6 with
 * `--log-format raw --log-output file=…` and keeps the lines that start with the prefix. Each write is
 * logged twice: `status 0` before it is sent (so an iteration cut off mid-request still leaves an
 * "outcome unknown" ack), then the answer. Under the k6-operator the lines are in the runners' logs.
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

const KINDS: readonly WriteKind[] = ['purchase', 'gift', 'withdrawal'];

/** The ack on a log line, or undefined when the line is something else (k6's own messages). */
export function parseAckLine(line: string): AckRecord | undefined {
  const at = line.indexOf(ACK_PREFIX);
  if (at < 0) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line.slice(at + ACK_PREFIX.length));
  } catch {
    return undefined;
  }
  const a = value as Partial<AckRecord> | null;
  if (
    a === null ||
    typeof a !== 'object' ||
    typeof a.opId !== 'string' ||
    !KINDS.includes(a.kind as WriteKind) ||
    typeof a.status !== 'number'
  ) {
    return undefined;
  }
  return { opId: a.opId, kind: a.kind as WriteKind, status: a.status, response: a.response ?? null };
}
