/**
 * The cross-check: the target's journal entries (found by the idempotency keys, which it journals as
 * opIds) against the simulation's ledger, operation by operation in run order, postings compared after
 * renaming the simulation's viewers and creators to the target's users. The first operation whose
 * entry differs — or that one side applied and the other refused — is where the two diverge; every
 * account that ends up different is listed with the first operation that moved it differently. The
 * target's stated balances are compared with the simulation's too, and the cash of each channel
 * (gross, store fees, payment fees, net) is summed from both journals.
 */

import type { SimOp } from '../../experiments/oplog/op.ts';
import { PURCHASE_FEES } from '../../sim/economy/rules.ts';
import type { Economy } from '../../sim/economy/types.ts';
import { accountFamily } from '../../sim/ledger/accounts.ts';
import type { JournalEntry, Posting } from '../../sim/ledger/journal.ts';

export interface Divergence {
  index: number;
  op: SimOp;
  /** The simulation's postings, accounts renamed to the target's; undefined when the run refused it. */
  expected?: Posting[];
  /** The target's postings; undefined when it has no entry for the operation. */
  found?: Posting[];
}

export interface AccountDifference {
  /** The target's name of the account. */
  account: string;
  unit: string;
  sim: number;
  /** Summed from the target's journal. */
  journal: number;
  /** The target's stated balance (undefined: it states none). */
  stated?: number;
  /** The first operation whose postings to this account differ (none: only the stated balance does). */
  first?: { index: number; op: SimOp };
}

export interface ChannelCash {
  channel: string;
  grossCents: number;
  /** Each purchase fee (`PURCHASE_FEES`), in its order. */
  feeCents: number[];
  netCents: number;
}

export interface Comparison {
  /** Operations compared: the first `compared` of the log. */
  compared: number;
  simEntries: number;
  targetEntries: number;
  /** Operations whose entries differ. */
  divergent: number;
  first?: Divergence;
  /** The target's entries under this replay's keys that no compared operation explains. */
  unexplained: string[];
  /** Accounts × units compared (journal), and stated balances compared (undefined: none stated). */
  balancesCompared: number;
  statedCompared?: number;
  differences: AccountDifference[];
  cash: { sim: ChannelCash[]; target: ChannelCash[] };
  exact: boolean;
}

export interface CompareInput {
  ops: readonly SimOp[];
  compared: number;
  economy: Economy;
  /** The simulation's entries by opId. */
  simEntries: ReadonlyMap<string, JournalEntry>;
  /** The target's entries under this replay's keys, by the simulation's opId. */
  targetEntries: ReadonlyMap<string, unknown>;
  /** Stated balances `{ account, unit, balance }`, or undefined. */
  stated?: readonly unknown[];
  mapAccount: (simAccount: string) => string;
}

export function compareWithTarget(input: CompareInput): Comparison {
  const { ops, compared, mapAccount } = input;
  const simBalances = new Map<string, number>();
  const targetBalances = new Map<string, number>();
  const firstByAccount = new Map<string, number>();
  const simCash: JournalEntry[] = [];
  const targetCash: Partial<JournalEntry>[] = [];
  let divergent = 0;
  let first: Divergence | undefined;
  for (let index = 0; index < compared; index++) {
    const op = ops[index];
    const sim = input.simEntries.get(op.opId);
    const expected = sim?.postings.map((p) => ({ ...p, account: mapAccount(p.account) }));
    const entry = input.targetEntries.get(op.opId) as Partial<JournalEntry> | undefined;
    const found = entry === undefined ? undefined : postingsOf(entry);
    if (sim !== undefined) simCash.push({ ...sim, postings: expected ?? [] });
    if (entry !== undefined) targetCash.push({ ...entry, postings: found });
    const want = sums(expected ?? []);
    const got = sums(found ?? []);
    add(simBalances, want);
    add(targetBalances, got);
    const differing = differingKeys(want, got);
    const kindDiffers = sim !== undefined && entry !== undefined && entry.kind !== sim.kind;
    if (differing.length === 0 && (sim === undefined) === (entry === undefined) && !kindDiffers) continue;
    divergent++;
    first ??= { index, op, expected, found };
    for (const key of differing) if (!firstByAccount.has(key)) firstByAccount.set(key, index);
  }
  const expectedIds = new Set(ops.slice(0, compared).map((op) => op.opId));
  const unexplained = [...input.targetEntries.keys()].filter((id) => !expectedIds.has(id));
  const stated = input.stated === undefined ? undefined : statedMap(input.stated);
  const differences = accountDifferences(simBalances, targetBalances, stated, firstByAccount, ops);
  const channels = input.economy.channels.map((c) => c.id);
  const cash = { sim: channelCash(simCash, channels), target: channelCash(targetCash, channels) };
  return {
    compared,
    simEntries: simCash.length,
    targetEntries: targetCash.length,
    divergent,
    first,
    unexplained,
    balancesCompared: new Set([...simBalances.keys(), ...targetBalances.keys()]).size,
    statedCompared: stated?.size,
    differences,
    cash,
    exact: divergent === 0 && unexplained.length === 0 && differences.length === 0,
  };
}

function postingsOf(entry: Partial<JournalEntry>): Posting[] {
  return Array.isArray(entry.postings) ? entry.postings : [];
}

/** `account unit` → amount, zero sums dropped. */
function sums(postings: readonly Posting[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of postings) {
    const key = `${p?.account} ${p?.unit}`;
    out.set(key, (out.get(key) ?? 0) + (Number.isFinite(p?.amount) ? p.amount : Number.NaN));
  }
  for (const [key, amount] of out) if (amount === 0) out.delete(key);
  return out;
}

function add(into: Map<string, number>, from: Map<string, number>): void {
  for (const [key, amount] of from) into.set(key, (into.get(key) ?? 0) + amount);
}

function differingKeys(a: Map<string, number>, b: Map<string, number>): string[] {
  return [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k));
}

function statedMap(stated: readonly unknown[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of stated) {
    const b = s as { account?: unknown; unit?: unknown; balance?: unknown };
    out.set(`${b?.account} ${b?.unit}`, typeof b?.balance === 'number' ? b.balance : Number.NaN);
  }
  return out;
}

function accountDifferences(
  sim: Map<string, number>,
  journal: Map<string, number>,
  stated: Map<string, number> | undefined,
  firstByAccount: Map<string, number>,
  ops: readonly SimOp[],
): AccountDifference[] {
  const keys = new Set([...sim.keys(), ...journal.keys(), ...(stated?.keys() ?? [])]);
  const out: AccountDifference[] = [];
  for (const key of keys) {
    const s = sim.get(key) ?? 0;
    const j = journal.get(key) ?? 0;
    const st = stated === undefined ? undefined : (stated.get(key) ?? 0);
    if (s === j && (st === undefined || st === s)) continue;
    const [account, unit] = key.split(' ');
    const index = firstByAccount.get(key);
    out.push({
      account,
      unit,
      sim: s,
      journal: j,
      stated: st,
      first: index === undefined ? undefined : { index, op: ops[index] },
    });
  }
  return out.sort(
    (a, b) =>
      (a.first?.index ?? Infinity) - (b.first?.index ?? Infinity) || a.account.localeCompare(b.account),
  );
}

/** Gross, fees and net per channel, summed over purchase and refund entries. */
export function channelCash(
  entries: readonly Partial<JournalEntry>[],
  channels: readonly string[],
): ChannelCash[] {
  const rows = new Map(
    channels.map((channel) => [
      channel,
      { channel, grossCents: 0, feeCents: PURCHASE_FEES.map(() => 0), netCents: 0 },
    ]),
  );
  for (const e of entries) {
    if (e.kind !== 'purchase' && e.kind !== 'refund') continue;
    const postings = e.postings ?? [];
    const buyers = postings.find((p) => p?.account?.startsWith('buyers:'));
    const row = rows.get(buyers?.account.slice('buyers:'.length) ?? '');
    if (row === undefined) continue;
    for (const p of postings) {
      const family = accountFamily(p.account);
      const fee = PURCHASE_FEES.findIndex((f) => f.family === family);
      if (family === 'buyers') row.grossCents -= p.amount;
      else if (fee >= 0) row.feeCents[fee] += p.amount;
      else if (p.account === 'platform:cash') row.netCents += p.amount;
    }
  }
  return [...rows.values()];
}
