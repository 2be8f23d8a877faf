/**
 * Invariant 6 over the answers alone: a key answered with a success and with a refusal. The
 * reconciliation of acks (sim/invariants/acks.ts) compares the seqs of a key's 2xx answers, so a
 * backend that answered a purchase 201 and its replay 409 (or refused a gift, then applied its replay)
 * passed although the client was told two things about one operation. A success and a refusal a
 * sound store keeps under the key (the status catalogue's recorded refusals: not enough coins or
 * diamonds, below the minimum, already refunded — at their HTTP statuses, 409 and 422, whatever the
 * API's codes; but not a code of the catalogue that is not recorded, such as the idempotency conflict a
 * different body with the same key earns) for one key is a violation; other 4xx and 5xx are not
 * recorded answers (load/README.md, Idempotency), so a retry may be answered otherwise after them.
 */
import type { Ack } from '../../sim/invariants/ack-format.ts';
import type { Violation } from '../../sim/invariants/types.ts';
import { RECORDED_REFUSALS, STATUSES, statusOfCode } from '../../sim/kernel/status.ts';

/** The HTTP statuses of the refusals a store records. */
const REFUSAL_STATUSES = new Set<number>(
  RECORDED_REFUSALS.map((code) => STATUSES[statusOfCode(code) as keyof typeof STATUSES].http),
);

/** A recorded refusal: at one of their statuses, with one of their codes or a code not giftlab's. */
function isRecordedRefusal(a: Ack): boolean {
  if (!REFUSAL_STATUSES.has(a.status)) return false;
  const code = codeOf(a);
  return (
    code === undefined ||
    statusOfCode(code) === undefined ||
    (RECORDED_REFUSALS as readonly string[]).includes(code)
  );
}

export function mixedReplayAnswers(acks: readonly Ack[]): Violation[] {
  const byKey = new Map<string, { ok?: Ack; refused?: Ack }>();
  for (const a of acks) {
    const ok = a.status >= 200 && a.status < 300;
    const refused = isRecordedRefusal(a);
    if (!ok && !refused) continue;
    const seen = byKey.get(a.opId) ?? {};
    if (ok) seen.ok ??= a;
    else seen.refused ??= a;
    byKey.set(a.opId, seen);
  }
  const out: Violation[] = [];
  for (const [opId, { ok, refused }] of byKey) {
    if (ok === undefined || refused === undefined) continue;
    const seq = seqOf(ok);
    const code = codeOf(refused);
    out.push({
      invariant: 6,
      seq: seq ?? null,
      opId,
      accounts: [],
      expected: `one answer for every replay (${ok.status}${seq === undefined ? '' : `, entry ${seq}`})`,
      found: `${ok.status} and ${refused.status}${code === undefined ? '' : ` ${code}`}`,
      message: `${opId} was answered ${ok.status} and, with the same key, ${refused.status}${code === undefined ? '' : ` ${code}`}: one operation, told two outcomes`,
    });
  }
  return out;
}

function codeOf(a: Ack): string | undefined {
  const code = (a.response as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

function seqOf(a: Ack): number | undefined {
  const seq = (a.response as { seq?: unknown } | null | undefined)?.seq;
  return Number.isSafeInteger(seq) ? (seq as number) : undefined;
}
