/**
 * `--synchronous full`: an answer waits for the WAL sync that covers its commit. With the sync injected
 * (a disk we hold and release, or one that fails): a write's answer, a replay's, a refusal's and a read
 * that could show the write all wait for it; one sync covers every commit made before it started, the
 * commits made while it runs wait for the next; a failed sync answers the waiting requests 500
 * `GIFT_ERR_NOT_DURABLE` and every later write and ledger read too, while what was committed may still
 * be in the journal.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncFn } from '../../load/target/db/wal-sync.ts';
import { WalSync } from '../../load/target/db/wal-sync.ts';
import { auth, injectedTarget, type TestTarget } from './support/server.ts';

/** A disk whose syncs end when the test says: each call waits in `pending` until released or failed. */
function heldDisk() {
  const pending: { fd: number; release: () => void; fail: (e: Error) => void }[] = [];
  const sync: SyncFn = (fd) =>
    new Promise<void>((resolve, reject) => pending.push({ fd, release: resolve, fail: reject }));
  return { sync, pending };
}

/** Lets promise callbacks and I/O callbacks run. */
const turn = () => new Promise((r) => setImmediate(r));

/** Turns of the event loop until `done()` holds (at most 200). */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !done(); i++) await turn();
  expect(done()).toBe(true);
}

/** Turns enough for an unhindered request to be answered. */
async function settleTurns(): Promise<void> {
  for (let i = 0; i < 50; i++) await turn();
}

describe('WalSync', () => {
  it('calls a waiter back only after a sync that started after its commit; one sync at a time covers all before it', async () => {
    const disk = heldDisk();
    const wal = new WalSync(-1, disk.sync);
    const calls: string[] = [];
    const first = wal.committed();
    wal.whenDurable(first, () => calls.push('first'));
    expect(disk.pending).toHaveLength(1);
    // Two commits while the first sync runs: no second sync yet, and they wait for the next one.
    const second = wal.committed();
    const third = wal.committed();
    wal.whenDurable(second, () => calls.push('second'));
    wal.whenDurable(third, () => calls.push('third'));
    expect(disk.pending).toHaveLength(1);
    disk.pending[0].release();
    await Promise.resolve();
    await Promise.resolve();
    // The first is answered as its sync ends; the next sync starts at the end of that turn.
    expect(calls).toEqual(['first']);
    expect(disk.pending).toHaveLength(1);
    expect(wal.busy).toBe(true);
    await turn();
    await turn();
    // The next sync covers both.
    expect(disk.pending).toHaveLength(2);
    disk.pending[1].release();
    await turn();
    await turn();
    expect(calls).toEqual(['first', 'second', 'third']);
    expect(wal.busy).toBe(false);
    expect(wal.syncs).toBe(2);
    // Nothing new committed: no sync runs, and a mark already covered is called back at once.
    expect(disk.pending).toHaveLength(2);
    wal.whenDurable(third, () => calls.push('again'));
    expect(calls.at(-1)).toBe('again');
    await expect(wal.visible('v')).resolves.toBe('v');
  });

  it('a failed sync fails every waiter, every later one, and starts no more syncs', async () => {
    const disk = heldDisk();
    const wal = new WalSync(-1, disk.sync);
    const failures: unknown[] = [];
    wal.onFailure = (e) => failures.push(e);
    const errors: (Error | undefined)[] = [];
    wal.whenDurable(wal.committed(), (e) => errors.push(e));
    wal.whenDurable(wal.committed(), (e) => errors.push(e));
    disk.pending[0].fail(new Error('EIO'));
    await turn();
    expect(errors.map((e) => e?.message)).toEqual(['EIO', 'EIO']);
    expect(failures).toHaveLength(1);
    wal.whenDurable(wal.committed(), (e) => errors.push(e));
    expect(errors).toHaveLength(3);
    expect(disk.pending).toHaveLength(1);
    await expect(wal.visible('v')).rejects.toThrow('EIO');
    await wal.drained();
  });
});

describe('serve --synchronous full', () => {
  let dir: string;
  let target: TestTarget | undefined;
  let disk: ReturnType<typeof heldDisk> | undefined;
  afterEach(async () => {
    // Held syncs end, so that closing (which waits for the running sync) can finish.
    for (const p of disk?.pending ?? []) p.release();
    disk = undefined;
    await target?.close();
    target = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  async function fullTarget(sync: SyncFn) {
    dir = mkdtempSync(join(tmpdir(), 'giftlab-walsync-'));
    target = await injectedTarget({
      db: join(dir, 't.db'),
      synchronous: 'FULL',
      walSync: sync,
      onInternalError: () => {},
    });
    return target;
  }

  const purchase = (t: TestTarget, key: string, viewer = 0) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/purchases',
      headers: auth(t.users.viewers[viewer].token, key),
      payload: { viewerId: viewer, channel: 'app', pack: 'c70' },
    });

  it('answers a write, its replay, a refusal and a read that shows it only once the WAL sync covering it ends', async () => {
    const held = heldDisk();
    disk = held;
    const t = await fullTarget(held.sync);
    const order: string[] = [];
    const track = <T>(name: string, p: Promise<T>) =>
      p.then((r) => {
        order.push(name);
        return r;
      });

    const bought = track('purchase', purchase(t, 'buy-1'));
    await until(() => held.pending.length === 1);
    // Committed (the entry is in the database) but not answered: its sync runs.
    expect(t.app.target.store.lastSeq()).toBe(1);
    const read = track(
      'balance',
      t.app.inject({ url: '/v1/viewers/0/balance', headers: auth(t.users.viewers[0].token) }),
    );
    const replay = track('replay', purchase(t, 'buy-1'));
    const refusal = track(
      'refusal',
      t.app.inject({
        method: 'POST',
        url: '/v1/gifts',
        headers: auth(t.users.viewers[0].token, 'gift-1'),
        payload: {
          viewerId: 0,
          creatorId: 1,
          giftId: 'rose',
          count: 1_000,
          context: { kind: 'stream', id: 's' },
        },
      }),
    );
    await settleTurns();
    expect(order).toEqual([]);
    // The writes that came during the sync wait uncommitted: committing sooner would answer no sooner.
    expect(t.app.target.committer.batches).toBe(1);
    held.pending[0].release();
    await bought;
    await read;
    // The read saw only the first commit. The replay and the refusal were committed together as the
    // first sync ended, and wait for the second, which started then.
    await settleTurns();
    expect(order).toEqual(['purchase', 'balance']);
    expect(held.pending).toHaveLength(2);
    expect([t.app.target.committer.batches, t.app.target.committer.writes]).toEqual([2, 3]);
    held.pending[1].release();
    const answers = await Promise.all([bought, read, replay, refusal]);
    expect(answers.map((a) => a.statusCode)).toEqual([201, 200, 201, 409]);
    expect(answers[2].headers['idempotent-replayed']).toBe('true');
    expect(answers[1].json()).toEqual({ viewerId: 0, coins: 70 });
  });

  it('a failed sync answers the waiting writes 500 GIFT_ERR_NOT_DURABLE, then refuses writes and ledger reads', async () => {
    const held = heldDisk();
    disk = held;
    const t = await fullTarget(held.sync);
    const waiting = [purchase(t, 'a', 0), purchase(t, 'b', 1)];
    await until(() => t.app.target.store.lastSeq() === 2);
    expect(held.pending).toHaveLength(1);
    held.pending[0].fail(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
    for (const answer of await Promise.all(waiting)) {
      expect(answer.statusCode).toBe(500);
      expect(answer.json().code).toBe('GIFT_ERR_NOT_DURABLE');
    }
    // Answered 500, yet committed: the journal may hold them (documented).
    expect(t.app.target.store.lastSeq()).toBe(2);
    const later = await purchase(t, 'c', 2);
    expect([later.statusCode, later.json().code]).toEqual([500, 'GIFT_ERR_NOT_DURABLE']);
    expect(t.app.target.store.lastSeq()).toBe(2);
    const read = await t.app.inject({ url: '/v1/journal', headers: auth(t.users.adminToken) });
    expect([read.statusCode, read.json().code]).toEqual([500, 'GIFT_ERR_NOT_DURABLE']);
    expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(500);
    // What shows nothing of the ledger still answers; no sync was tried again.
    expect((await t.app.inject({ url: '/v1/economy' })).statusCode).toBe(200);
    expect(held.pending).toHaveLength(1);
  });

  it('with the real fdatasync: writes answer, /healthz counts the WAL syncs, a restart finds them', async () => {
    const t = await fullTarget((fd) =>
      import('../../load/target/db/wal-sync.ts').then((m) => m.fdatasync(fd)),
    );
    const answers = await Promise.all([0, 1, 2, 3].map((v) => purchase(t, `k${v}`, v)));
    expect(answers.map((a) => a.statusCode)).toEqual([201, 201, 201, 201]);
    const health = (await t.app.inject({ url: '/healthz' })).json();
    expect(health.synchronous).toBe('FULL');
    expect(health.commits.walSyncs).toBeGreaterThanOrEqual(1);
    await t.close();
    target = await injectedTarget({ db: join(dir, 't.db'), synchronous: 'FULL' }, 0);
    expect(target.app.target.store.lastSeq()).toBe(4);
  });
});
