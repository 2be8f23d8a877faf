/**
 * Durability: `giftlab serve` as a child process on a database file takes a stream of concurrent writes
 * and is killed with SIGKILL mid-stream; restarted on the same file, the audit with the client's acks
 * finds every acknowledged write in the journal, and nothing the client was told failed. Then SIGTERM
 * under load: in-flight writes finish, the WAL is checkpointed, the process exits 0.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runAudit } from '../../load/audit/audit.ts';
import type { Ack } from '../../sim/invariants/ack-format.ts';
import { type ServeChild, startServe } from './support/child.ts';
import { AckingClient } from './support/client.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'giftlab-durability-'));
const db = join(dir, 'target.db');
const usersFile = join(dir, 'users.json');
const acks: Ack[] = [];
const running: ServeChild[] = [];

afterAll(() => {
  for (const s of running) s.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

async function start(): Promise<ServeChild> {
  const s = await startServe(['--db', db, '--seed-users', '8'], usersFile);
  running.push(s);
  return s;
}

/**
 * Gives every viewer coins, then sends gifts 8 at a time; `onAck(acked)` is told of every accepted
 * one. Ends when the server stops answering (or after a bound).
 */
async function giftStream(client: AckingClient, s: ServeChild, tag: string, onAck: (acked: number) => void) {
  for (const v of s.users.viewers) {
    const body = { viewerId: v.id, channel: 'app', pack: 'c1400' };
    expect((await client.write('purchase', v.token, `${tag}-buy-${v.id}`, body)).status).toBe(201);
  }
  let acked = 0;
  let n = 0;
  const worker = async (w: number) => {
    const v = s.users.viewers[w];
    while (n < 5_000) {
      const body = {
        viewerId: v.id,
        creatorId: n % 8,
        giftId: 'rose',
        count: 1 + (n % 3),
        context: { kind: 'stream', id: 's' },
      };
      const a = await client.write('gift', v.token, `${tag}-${w}-${n++}`, body);
      if (a.status === 0) return;
      if (a.status === 201) onAck(++acked);
    }
  };
  await Promise.all(Array.from({ length: 8 }, (_, w) => worker(w)));
  return acked;
}

describe('durability of acknowledged writes', () => {
  it('survives kill -9 mid-stream: every acknowledged write is in the journal after a restart', async () => {
    const first = await start();
    const client = new AckingClient(first.url);
    const acked = await giftStream(client, first, 'a', (n) => {
      if (n === 200) first.child.kill('SIGKILL');
    });
    expect((await first.exited).signal).toBe('SIGKILL');
    expect(acked).toBeGreaterThanOrEqual(200);
    expect(client.acks.some((a) => a.status === 0)).toBe(true);
    acks.push(...client.acks);

    const second = await start();
    const report = await runAudit({ target: second.url, adminToken: second.users.adminToken, acks });
    expect(report.result.violations).toEqual([]);
    expect(report.result.checked).toContain(7);
    const ok = new Set(acks.filter((a) => a.status === 201).map((a) => a.opId));
    expect(report.result.entries).toBeGreaterThanOrEqual(ok.size);
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  });

  it('refuses a second server on a database one has open (exit 2 naming --db), and starts once it is gone', async () => {
    const first = await start();
    const second = spawnSync(process.execPath, ['bin/giftlab.js', 'serve', '--port', '0', '--db', db], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(second.status, second.stderr).toBe(2);
    expect(second.stderr).toContain('--db: expected a database no other server has open');
    first.child.kill('SIGKILL');
    await first.exited;
    // The OS dropped the killed server's lock: a restart takes the file (and lets it go for the next test).
    const again = await start();
    again.child.kill('SIGTERM');
    expect((await again.exited).code).toBe(0);
  });

  it('shuts down gracefully on SIGTERM under load: in-flight writes finish, the WAL is checkpointed', async () => {
    const s = await start();
    const client = new AckingClient(s.url);
    await giftStream(client, s, 'b', (n) => {
      if (n === 50) s.child.kill('SIGTERM');
    });
    expect((await s.exited).code).toBe(0);
    expect(s.output()).toContain('closed on SIGTERM; WAL checkpointed');
    const wal = `${db}-wal`;
    expect(!existsSync(wal) || statSync(wal).size === 0).toBe(true);
    acks.push(...client.acks);

    const again = await start();
    const report = await runAudit({ target: again.url, adminToken: again.users.adminToken, acks });
    expect(report.result.violations).toEqual([]);
    again.child.kill('SIGTERM');
    await again.exited;
  });
});
