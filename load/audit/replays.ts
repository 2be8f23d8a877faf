/**
 * Invariant 6 over the answers alone: a key answered with a success and with a refusal. The
 * reconciliation of acks (sim/invariants/acks.ts) compares the seqs of a key's 2xx answers, so a
 * backend that answered a purchase 201 and its replay 409 (or refused a gift, then applied its replay)
 * passed although the client was told two things about one operation. A success and a refusal (409,
 * or a 422 other than GIFT_ERR_IDEMPOTENCY_CONFLICT, which a different body with the same key earns)
 * for one key is a violation; other 4xx and 5xx are not recorded answers (load/README.md,
 * Idempotency), so a retry may be answered otherwise after them.
 */
import type { Ack } from '../../sim/invariants/ack-format.ts';
import type { Violation } from '../../sim/invariants/types.ts';

const REFUSALS = new Set([409, 422]);

export function mixedReplayAnswers(acks: readonly Ack[]): Violation[] {
  const byKey = new Map<string, { ok?: Ack; refused?: Ack }>();
  for (const a of acks) {
    const ok = a.status >= 200 && a.status < 300;
    const refused = REFUSALS.has(a.status) && codeOf(a) !== 'GIFT_ERR_IDEMPOTENCY_CONFLICT';
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
