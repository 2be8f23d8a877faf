/**
 * Invariant 7's other half: an acknowledged operation is in the journal as it was acknowledged. The
 * reconciliation of acks (sim/invariants/acks.ts) matches an answer with its entry by opId and seq only,
 * so a backend that debits another viewer than the one it answered for, credits a creator other than the
 * gift's, or journals other coins or cents than it told the client, passed: the journal balances, no
 * balance goes negative, and every key is there once.
 *
 * An answer in giftlab's shape (the reference API's: it echoes `opId` and `kind`, and states the
 * operation's figures) is compared with its entry's postings, summed per account and unit, through the
 * account layout of sim/kernel/layout.ts: a purchase credits `viewer:<viewerId>` its `coins` and takes
 * `grossCents` from `buyers:<channel>`; a gift takes `coins` from `viewer:<viewerId>` and gives
 * `creator:<creatorId>` the coins and its `diamonds`; a withdrawal takes `diamonds` from
 * `creator:<creatorId>` and pays it `netCents`; and the balance it states after the operation
 * (`balance.coins`, `balance.diamonds`) is the account's in the journal after the entry, every entry
 * before it applied in seq order. A figure the answer does not state is not compared, and answers in
 * another API's shape are left alone.
 */
import { isRecord } from '../../common/shape.ts';
import type { Ack } from '../../sim/invariants/ack-format.ts';
import type { Violation } from '../../sim/invariants/types.ts';

interface Expected {
  account: string;
  unit: string;
  amount: number;
  what: string;
}

export class AckedFigures {
  private readonly answers = new Map<string, Record<string, unknown>>();
  /** Every account's balance per unit after the entries read so far, in journal order. */
  private readonly running = new Map<string, number>();
  private compared = 0;

  constructor(acks: readonly Ack[]) {
    for (const a of acks) {
      if (a.status < 200 || a.status >= 300 || this.answers.has(a.opId)) continue;
      const r = a.response;
      if (!isRecord(r)) continue;
      const body = r;
      if (body.opId === a.opId && body.kind === a.kind) this.answers.set(a.opId, body);
    }
  }

  /** Operations whose entry was compared with their answer's figures. */
  get count(): number {
    return this.compared;
  }

  /** Compares an entry with its answer, if it has one in giftlab's shape; the figures that differ. */
  check(entry: unknown): Violation[] {
    if (typeof entry !== 'object' || entry === null) return [];
    const e = entry as { seq?: unknown; opId?: unknown; kind?: unknown; postings?: unknown };
    if (!Array.isArray(e.postings)) return [];
    const sums = new Map<string, number>();
    for (const p of e.postings as unknown[]) {
      const { account, unit, amount } = (p ?? {}) as { account?: unknown; unit?: unknown; amount?: unknown };
      if (typeof account !== 'string' || typeof unit !== 'string' || typeof amount !== 'number') continue;
      const k = `${account} ${unit}`;
      sums.set(k, (sums.get(k) ?? 0) + amount);
      this.running.set(k, (this.running.get(k) ?? 0) + amount);
    }
    if (typeof e.opId !== 'string') return [];
    const answer = this.answers.get(e.opId);
    if (answer === undefined || answer.kind !== e.kind) return [];
    const wanted = expectedPostings(e.kind as string, answer);
    if (wanted.length === 0) return [];
    this.compared++;
    const out: Violation[] = [];
    // The balance the answer stated after the operation is the journal's after its entry: the state
    // the client was shown is the one the journal's order gives (invariant 7's serial order).
    const after = balanceAfter(e.kind as string, answer);
    if (after !== undefined) {
      const found = this.running.get(`${after.account} ${after.unit}`) ?? 0;
      if (found !== after.amount)
        out.push({
          invariant: 7,
          seq: Number.isSafeInteger(e.seq) ? (e.seq as number) : null,
          opId: e.opId,
          accounts: [after.account],
          expected: `${after.account} ${after.unit} ${after.amount} after it`,
          found: `${found} in the journal after entry ${String(e.seq)}`,
          message: `${e.opId} was answered with ${after.what} but the journal holds ${after.account} ${after.unit} ${found} after it`,
        });
    }
    for (const w of wanted) {
      const found = sums.get(`${w.account} ${w.unit}`) ?? 0;
      if (found === w.amount) continue;
      out.push({
        invariant: 7,
        seq: Number.isSafeInteger(e.seq) ? (e.seq as number) : null,
        opId: e.opId,
        accounts: [w.account],
        expected: `${w.account} ${w.unit} ${signed(w.amount)}`,
        found: `${signed(found)}`,
        message: `${e.opId} was acknowledged with ${w.what} but journaled ${w.account} ${w.unit} ${signed(found)}`,
      });
    }
    return out;
  }
}

function expectedPostings(kind: string, a: Record<string, unknown>): Expected[] {
  const int = (k: string): number | undefined => (Number.isSafeInteger(a[k]) ? (a[k] as number) : undefined);
  const out: Expected[] = [];
  const add = (account: string, unit: string, amount: number | undefined, what: string) => {
    if (amount !== undefined) out.push({ account, unit, amount, what });
  };
  const viewer = int('viewerId');
  const creator = int('creatorId');
  const coins = int('coins');
  if (kind === 'purchase' && viewer !== undefined) {
    add(`viewer:${viewer}`, 'COIN', coins, `coins ${coins} for viewer ${viewer}`);
    const gross = int('grossCents');
    if (typeof a.channel === 'string' && gross !== undefined)
      add(`buyers:${a.channel}`, 'USD', -gross, `grossCents ${gross} on channel ${a.channel}`);
  } else if (kind === 'gift' && viewer !== undefined && creator !== undefined) {
    add(
      `viewer:${viewer}`,
      'COIN',
      coins === undefined ? undefined : -coins,
      `coins ${coins} from viewer ${viewer}`,
    );
    add(`creator:${creator}`, 'COIN', coins, `coins ${coins} to creator ${creator}`);
    const diamonds = int('diamonds');
    add(`creator:${creator}`, 'DIAMOND', diamonds, `diamonds ${diamonds} to creator ${creator}`);
  } else if (kind === 'withdrawal' && creator !== undefined) {
    const diamonds = int('diamonds');
    add(
      `creator:${creator}`,
      'DIAMOND',
      diamonds === undefined ? undefined : -diamonds,
      `diamonds ${diamonds} from creator ${creator}`,
    );
    const net = int('netCents');
    add(`creator:${creator}`, 'USD', net, `netCents ${net} to creator ${creator}`);
  }
  return out;
}

/** The balance an answer states after its operation: `balance.coins` of the viewer, `balance.diamonds` of the creator. */
function balanceAfter(kind: string, a: Record<string, unknown>): Expected | undefined {
  const balance = a.balance as Record<string, unknown> | undefined;
  if (typeof balance !== 'object' || balance === null) return undefined;
  const int = (v: unknown) => (Number.isSafeInteger(v) ? (v as number) : undefined);
  if (kind === 'purchase' || kind === 'gift') {
    const viewer = int(a.viewerId);
    const coins = int(balance.coins);
    if (viewer === undefined || coins === undefined) return undefined;
    return { account: `viewer:${viewer}`, unit: 'COIN', amount: coins, what: `balance.coins ${coins}` };
  }
  if (kind === 'withdrawal') {
    const creator = int(a.creatorId);
    const diamonds = int(balance.diamonds);
    if (creator === undefined || diamonds === undefined) return undefined;
    return {
      account: `creator:${creator}`,
      unit: 'DIAMOND',
      amount: diamonds,
      what: `balance.diamonds ${diamonds}`,
    };
  }
  return undefined;
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}
