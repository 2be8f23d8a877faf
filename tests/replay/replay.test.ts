/**
 * `giftlab replay` against the reference server on a real port: a recorded run (about 2,200 operations)
 * replayed into `serve --scenario` equals the simulation's ledger exactly (checked here independently,
 * from journal.jsonl); `--fault rounding-leak` is reported at the first gift that leaked (found here
 * from the economy's rules); a replay stopped by --limit, by a signal or by kill -9 resumes without
 * double effects; concurrency keeps each account's order.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replay } from '../../cli/replay.ts';
import { BP } from '../../common/limits.ts';
import type { OpsHeader, SimOp } from '../../experiments/oplog/op.ts';
import { runAudit } from '../../load/audit/audit.ts';
import { TargetReader } from '../../load/audit/target.ts';
import { findGiftIndex, giftCoins, giftDiamonds, nextCarry } from '../../sim/economy/rules.ts';
import { captureIo } from '../support/io.ts';
import { closedPort, giftlab, type Server, SMALL_RUN, startServer, tmp } from './support.ts';

const BIN = resolve('bin/giftlab.js');

let runDir: string;
let header: OpsHeader;
let ops: SimOp[];
const servers: Server[] = [];

async function server(options: Parameters<typeof startServer>[0] = {}): Promise<Server> {
  const s = await startServer(options);
  servers.push(s);
  return s;
}

function readOps(dir: string): { header: OpsHeader; ops: SimOp[] } {
  const lines = readFileSync(join(dir, 'ops.jsonl'), 'utf8').trim().split('\n');
  return { header: JSON.parse(lines[0]), ops: lines.slice(1).map((l) => JSON.parse(l)) };
}

function adminToken(s: Server): string {
  return JSON.parse(readFileSync(s.usersFile, 'utf8')).adminToken;
}

async function journalOf(s: Server): Promise<{ opId: string }[]> {
  const reader = new TargetReader({ target: s.url, adminToken: adminToken(s) });
  const entries: { opId: string }[] = [];
  for await (const e of reader.journal()) entries.push(e as { opId: string });
  return entries;
}

beforeAll(async () => {
  runDir = join(tmp(), 'run');
  const r = await giftlab([
    'run',
    'scenarios/baseline.yaml',
    ...SMALL_RUN,
    '--journal',
    '--out',
    runDir,
    '--quiet',
  ]);
  expect(r.code, r.err).toBe(0);
  ({ header, ops } = readOps(runDir));
  expect(ops.length).toBeGreaterThan(1500);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

describe('giftlab replay against the reference server', () => {
  it('equals the simulation’s ledger exactly: every entry, every stated balance', async () => {
    const s = await server();
    const r = await giftlab(['replay', runDir, '--target', s.url, '--users', s.usersFile, '--quiet']);
    expect(r.code, r.err + r.out).toBe(0);
    expect(r.out).toContain('EXACT MATCH');
    expect(r.out).toContain(`sent      ${ops.length.toLocaleString('en-US')} operations`);
    // Independently: the run's journal.jsonl summed per account equals what the server states.
    const want = new Map<string, number>();
    for (const line of readFileSync(join(runDir, 'journal.jsonl'), 'utf8').trim().split('\n')) {
      for (const p of JSON.parse(line).postings) {
        const key = `${p.account} ${p.unit}`;
        want.set(key, (want.get(key) ?? 0) + p.amount);
      }
    }
    const reader = new TargetReader({ target: s.url, adminToken: adminToken(s) });
    const stated = (await reader.balances()) as { account: string; unit: string; balance: number }[];
    const got = new Map(
      stated.filter((b) => b.balance !== 0).map((b) => [`${b.account} ${b.unit}`, b.balance]),
    );
    expect(got).toEqual(new Map([...want].filter(([, v]) => v !== 0)));
    expect((await journalOf(s)).length).toBe(header.entries);
  });

  it('names the first gift that leaked against --fault rounding-leak, and exits 3', async () => {
    const s = await server({ fault: 'rounding-leak' });
    const r = await giftlab(['replay', runDir, '--target', s.url, '--users', s.usersFile, '--quiet']);
    expect(r.code).toBe(3);
    expect(r.err).toContain("the target's ledger differs");
    // The first gift whose diamonds rounded up differ from the economy's (rounded down, carry kept).
    const carry = new Map<number, number>();
    const leaked = ops.find((op) => {
      if (op.kind !== 'gift' || op.result !== 'ok') return false;
      const coins = giftCoins(header.economy.gifts[findGiftIndex(header.economy, op.gift)], op.count);
      const c = carry.get(op.creator) ?? 0;
      const sound = giftDiamonds(header.economy.creatorShareBp, coins, c);
      carry.set(op.creator, nextCarry(header.economy.creatorShareBp, coins, c));
      return Math.ceil((coins * header.economy.creatorShareBp) / BP) !== sound;
    }) as SimOp & { kind: 'gift' };
    expect(leaked).toBeDefined();
    const index = ops.indexOf(leaked) + 1;
    expect(r.out).toMatch(
      new RegExp(`first divergence: operation ${index.toLocaleString('en-US')}, gift ${leaked.opId} at`),
    );
    expect(r.out).toMatch(new RegExp(`creator:${leaked.creator} DIAMOND`));
    expect(r.out).toContain('accounts that differ');
  });

  it('resumes after --limit with more concurrency, without double effects', async () => {
    const s = await server();
    const args = ['replay', runDir, '--target', s.url, '--users', s.usersFile, '--quiet'];
    const part = await giftlab([...args, '--limit', '700', '--concurrency', '4']);
    expect(part.code, part.err).toBe(0);
    expect(part.out).toContain(`the first 700 of ${ops.length.toLocaleString('en-US')}`);
    expect(part.out).toContain('EXACT MATCH');
    const rest = await giftlab(args);
    expect(rest.code, rest.err).toBe(0);
    expect(rest.out).toContain('resuming  700 operations');
    expect(rest.out).toContain('EXACT MATCH');
    const again = await giftlab(args);
    expect(again.out).toContain(`sent      0 operations`);
    expect(again.code).toBe(0);
    const audit = await runAudit({ target: s.url, adminToken: adminToken(s) });
    expect(audit.clean).toBe(true);
    expect(audit.result.entries).toBe(header.entries);
  });

  it('resumes after kill -9 in the middle: every operation once, the audit clean', async () => {
    const s = await server();
    const child = spawn(
      process.execPath,
      [BIN, 'replay', runDir, '--target', s.url, '--users', s.usersFile, '--rate', '400', '--quiet'],
      { stdio: 'ignore' },
    );
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    let entries = 0;
    for (let i = 0; i < 500 && entries < 300; i++) {
      await new Promise((r) => setTimeout(r, 20));
      entries = ((await (await fetch(new URL('healthz', s.url))).json()) as { entries: number }).entries;
    }
    child.kill('SIGKILL');
    expect(await exited).toBeNull();
    expect(entries).toBeGreaterThanOrEqual(300);
    const acknowledged = (await journalOf(s)).length;
    expect(acknowledged).toBeLessThan(header.entries);
    const r = await giftlab(['replay', runDir, '--target', s.url, '--users', s.usersFile, '--quiet']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(`resuming  ${acknowledged.toLocaleString('en-US')} operations`);
    expect(r.out).toContain('EXACT MATCH');
    const journal = await journalOf(s);
    expect(new Set(journal.map((e) => e.opId)).size).toBe(journal.length);
    expect(journal.length).toBe(header.entries);
    expect((await runAudit({ target: s.url, adminToken: adminToken(s) })).clean).toBe(true);
  });

  it('a target that stops answering mid-replay fails the run (99), not bad input', async () => {
    const s = await server();
    const c = captureIo();
    const options = { target: s.url, users: s.usersFile, quiet: true };
    // Closed after the 30th request, well into the operations (the checks before them take a few): a
    // timer closed it before they were done on a loaded machine, which is bad input, not a lost target.
    let requests = 0;
    const closing: typeof fetch = (input, init) => {
      if (++requests === 30) void s.close();
      return fetch(input, init);
    };
    await expect(
      replay(runDir, { ...options, rate: '500/s' }, c.io, { fetch: closing }),
    ).rejects.toMatchObject({
      exitCode: 99,
      message: expect.stringContaining('the target stopped answering during the replay'),
    });
  });

  it('stops on a signal, exits 130, and the next run finishes the job', async () => {
    const s = await server();
    const stop = new AbortController();
    const c = captureIo();
    setTimeout(() => stop.abort(), 300);
    const options = { target: s.url, users: s.usersFile, quiet: true };
    await expect(
      replay(runDir, { ...options, rate: '1000/s' }, c.io, { signal: stop.signal }),
    ).rejects.toMatchObject({
      exitCode: 130,
    });
    expect(c.out()).toContain('interrupted after');
    const r = await giftlab(['replay', runDir, '--target', s.url, '--users', s.usersFile, '--quiet']);
    expect(r.out).toContain('EXACT MATCH');
  });
});

describe('giftlab serve --scenario … --set … applies that economy', () => {
  it('replays exactly a run with other fees, share and withdrawal rules into a server given the same', async () => {
    const sets = [
      'payout.creatorShare=0.63',
      'pricing.channels.app.storeFee=0.15',
      'pricing.channels.web.paymentFee=0.031',
      'payout.withdrawal.fee=0.02',
      'payout.withdrawal.feeFixedCents=25',
    ];
    const dir = join(tmp(), 'other');
    const setFlags = sets.flatMap((s) => ['--set', s]);
    const run = await giftlab([
      'run',
      'scenarios/creator-share-60.yaml',
      '--set',
      'population.viewers=800',
      '--set',
      'viewers.payerShare=0.5',
      '--set',
      'creators.withdrawAtDiamonds=2000', // withdrawals happen on 800 viewers (the model's rule, not the economy's)
      ...setFlags,
      '--journal',
      '--out',
      dir,
      '--quiet',
    ]);
    expect(run.code, run.err).toBe(0);
    const log = readOps(dir);
    expect(log.header.economy.creatorShareBp).toBe(6300);
    expect(log.ops.some((op) => op.kind === 'withdrawal' && op.result === 'ok')).toBe(true);
    const s = await server({ scenario: 'scenarios/creator-share-60.yaml', set: sets, seedUsers: 1000 });
    const r = await giftlab(['replay', dir, '--target', s.url, '--users', s.usersFile, '--quiet']);
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toContain('EXACT MATCH');
    const baseline = await server({ scenario: 'scenarios/creator-share-60.yaml', seedUsers: 1000 });
    const other = await giftlab(['replay', dir, '--target', baseline.url, '--users', baseline.usersFile]);
    expect(other.code).toBe(2);
    expect(other.err).toContain("creatorShareBp: the run's 6300, the target's 6000");
    expect(other.err).toContain('withdrawal.feeFixedCents');
  });
});

describe('giftlab replay refuses bad input with exit 2', () => {
  it('a users file with too few users, saying how many are needed', async () => {
    const s = await server({ seedUsers: 100 });
    const r = await giftlab(['replay', runDir, '--target', s.url, '--users', s.usersFile]);
    expect(r.code).toBe(2);
    const need = Math.max(...ops.map((op) => (op.kind === 'withdrawal' ? 0 : op.viewer))) + 1;
    expect(r.err).toContain(`at least ${need.toLocaleString('en-US')} viewers`);
    expect(r.err).toContain('found 100 viewers');
    expect(r.err).toContain('--seed-users');
  });

  it('a target with another economy, naming the field', async () => {
    const s = await server({ scenario: 'scenarios/creator-share-60.yaml', seedUsers: 2000 });
    const r = await giftlab(['replay', runDir, '--target', s.url, '--users', s.usersFile]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('serves creator-share-60, the run used baseline');
    expect(r.err).toContain("creatorShareBp: the run's 5000, the target's 6000");
    expect((await journalOf(s)).length).toBe(0);
  });

  it('a target holding other writes', async () => {
    const s = await server();
    const users = JSON.parse(readFileSync(s.usersFile, 'utf8'));
    const response = await fetch(new URL('v1/purchases', s.url), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${users.viewers[0].token}`,
        'idempotency-key': 'someone-else-1',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ viewerId: 0, channel: 'app', pack: 'c70' }),
    });
    expect(response.status).toBe(201);
    const r = await giftlab(['replay', runDir, '--target', s.url, '--users', s.usersFile]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('a fresh target');
    expect(r.err).toContain('someone-else-1');
  });

  it('no operation log, an edited one, an unreachable target, a bad --rate', async () => {
    const s = servers[servers.length - 1];
    const noLog = await giftlab(['replay', tmp(), '--target', s.url, '--users', s.usersFile]);
    expect(noLog.code).toBe(2);
    expect(noLog.err).toContain('a journal alone lacks gift and pack ids');

    const edited = join(tmp(), 'ops.jsonl');
    const lines = readFileSync(join(runDir, 'ops.jsonl'), 'utf8').split('\n');
    lines[1] = lines[1].replace('"result":"ok"', '"result":"GIFT_ERR_INSUFFICIENT_COINS"');
    writeFileSync(edited, lines.join('\n'));
    const bad = await giftlab(['replay', edited, '--target', s.url, '--users', s.usersFile]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('sim-1');
    expect(bad.err).toContain('the log was edited');

    const port = await closedPort();
    const down = await giftlab([
      'replay',
      runDir,
      '--target',
      `http://127.0.0.1:${port}`,
      '--users',
      s.usersFile,
    ]);
    expect(down.code).toBe(2);
    expect(down.err).toContain('connection refused');

    const rate = await giftlab([
      'replay',
      runDir,
      '--target',
      s.url,
      '--users',
      s.usersFile,
      '--rate',
      'fast',
    ]);
    expect(rate.code).toBe(2);
    expect(rate.err).toContain('--rate: expected operations per second');

    const none = await giftlab(['replay', runDir, '--target', s.url, '--users', join(tmp(), 'nope.json')]);
    expect(none.code).toBe(2);
    expect(none.err).toContain('--seed-users');

    // A missing run is named before the users file its target would need (it said "--users: … found nothing").
    const noRun = await giftlab(['replay', join(tmp(), 'no-such-run')]);
    expect(noRun.code).toBe(2);
    expect(noRun.err).toMatch(
      /^giftlab: <run\|journal>: expected a run folder or its ops\.jsonl, found .*no-such-run: no such file or folder\n$/,
    );
  });
});
