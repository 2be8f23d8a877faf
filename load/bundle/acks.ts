/**
 * The acks of a k6 run, out of its log file (or `kubectl logs` of the k6-operator's runners) into the
 * JSON-lines file the audit reads. A write's "sent" ack (status 0) is dropped once an answer for the same
 * key was logged; it stays only where no answer ever came (the outcome is unknown). Lines that are not
 * acks are k6's own messages, returned for the caller to show.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { type Ack, ackJson, ackProblem } from '../../sim/invariants/ack-format.ts';
import { ACK_PREFIX } from '../k6/lib/acks.ts';

/** k6 messages kept for display (the rest are counted). */
const MESSAGES_KEPT = 50;

export interface ExtractedAcks {
  acks: Ack[];
  /** Writes sent (distinct keys). */
  operations: number;
  /** Keys whose only ack is "sent" (status 0). */
  unknown: number;
  messages: string[];
  messagesDropped: number;
}

export async function extractAcks(logFile: string): Promise<ExtractedAcks> {
  const answered = new Set<string>();
  const all: Ack[] = [];
  const messages: string[] = [];
  let dropped = 0;
  const lines = createInterface({
    input: createReadStream(logFile, 'utf8'),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const line of lines) {
    const ack = parseAckLine(line);
    if (ack === undefined) {
      if (line.trim() === '') continue;
      if (messages.length < MESSAGES_KEPT) messages.push(line);
      else dropped++;
      continue;
    }
    all.push(ack);
    if (ack.status !== 0) answered.add(ack.opId);
  }
  const keys = new Set<string>();
  const unknown = new Set<string>();
  const acks: Ack[] = [];
  for (const a of all) {
    keys.add(a.opId);
    if (a.status === 0 && answered.has(a.opId)) continue;
    if (a.status === 0) {
      if (unknown.has(a.opId)) continue;
      unknown.add(a.opId);
    }
    acks.push(a);
  }
  return { acks, operations: keys.size, unknown: unknown.size, messages, messagesDropped: dropped };
}

export async function writeAcksFile(file: string, acks: readonly Ack[]): Promise<void> {
  const out = createWriteStream(file, 'utf8');
  for (const a of acks) {
    if (!out.write(`${ackJson(a)}\n`)) await new Promise<void>((resolve) => out.once('drain', resolve));
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
}

/** The ack on a k6 log line (written by load/k6/lib/acks.ts), or undefined when the line is k6's own. */
export function parseAckLine(line: string): Ack | undefined {
  const at = line.indexOf(ACK_PREFIX);
  if (at < 0) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line.slice(at + ACK_PREFIX.length));
  } catch {
    return undefined;
  }
  if (ackProblem(value) !== undefined) return undefined;
  const a = value as Ack;
  return { opId: a.opId, kind: a.kind, status: a.status, response: a.response ?? null };
}
