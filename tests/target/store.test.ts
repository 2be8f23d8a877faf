/**
 * The store keeps balances, carries and the key index in memory beside the journal: rebuilt from the
 * journal when it opens (so a restart states what the journal implies, and replays still answer their
 * first answer), and undone with a transaction that rolls back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../common/input-error.ts';
import { GroupCommitter } from '../../load/target/db/commit.ts';
import { Store } from '../../load/target/db/store.ts';
import { auth, injectedTarget } from './support/server.ts';

const dir = mkdtempSync(join(tmpdir(), 'giftlab-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the store’s memory', () => {
  it('is rebuilt from the journal on reopening: balances, carries, replays, refusals and scoped keys', async () => {
    const db = join(dir, 'reopen.db');
    const first = await injectedTarget({ db });
    const [v0, v1] = first.users.viewers;
    const c1 = first.users.creators[1];
    const post = (t: typeof first, url: string, token: string, key: string, payload: object) =>
      t.app.inject({ method: 'POST', url, headers: auth(token, key), payload });
    const gift = {
      viewerId: v0.id,
      creatorId: c1.id,
      giftId: 'rose',
      count: 3,
      context: { kind: 'stream', id: 's' },
    };
    const answers = [
      await post(first, '/v1/purchases', v0.token, 'buy', { viewerId: v0.id, channel: 'app', pack: 'c70' }),
      await post(first, '/v1/gifts', v0.token, 'give', gift),
      await post(first, '/v1/gifts', v0.token, 'too-much', { ...gift, giftId: 'universe', count: 1 }),
      await post(first, '/v1/purchases', v1.token, 'buy', { viewerId: v1.id, channel: 'web', pack: 'c70' }),
    ].map((r) => ({ status: r.statusCode, body: r.json() }));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 409, 201]);
    const read = async (t: typeof first) => ({
      v0: (await t.app.inject({ url: `/v1/viewers/${v0.id}/balance`, headers: auth(v0.token) })).json(),
      c1: (await t.app.inject({ url: `/v1/creators/${c1.id}/balance`, headers: auth(c1.token) })).json(),
      stated: (await t.app.inject({ url: '/v1/balances', headers: auth(first.users.adminToken) })).json(),
    });
    const before = await read(first);
    expect(before.v0.coins).toBe(67);
    expect(before.c1.carryBp).toBe(5000);
    await first.close();

    const second = await injectedTarget({ db }, 0);
    try {
      expect(await read(second)).toEqual(before);
      const again = [
        await post(second, '/v1/purchases', v0.token, 'buy', {
          viewerId: v0.id,
          channel: 'app',
          pack: 'c70',
        }),
        await post(second, '/v1/gifts', v0.token, 'give', gift),
        await post(second, '/v1/gifts', v0.token, 'too-much', { ...gift, giftId: 'universe', count: 1 }),
        await post(second, '/v1/purchases', v1.token, 'buy', {
          viewerId: v1.id,
          channel: 'web',
          pack: 'c70',
        }),
      ];
      expect(again.map((r) => ({ status: r.statusCode, body: r.json() }))).toEqual(answers);
      for (const r of again) expect(r.headers['idempotent-replayed']).toBe('true');
      // The carried half diamond is still there: one more rose completes it.
      await post(second, '/v1/gifts', v0.token, 'give-2', { ...gift, count: 1 });
      const after = await read(second);
      expect(after.c1.carryBp).toBe(0);
      expect(after.c1.diamonds).toBe(before.c1.diamonds + 1);
    } finally {
      await second.close();
    }
  });

  it('is undone with a transaction that rolls back, kept with one that commits', async () => {
    const store = new Store({ file: ':memory:' });
    const committer = new GroupCommitter(store.db, 8, store);
    try {
      const entry = {
        opId: 'k',
        kind: 'gift' as const,
        at: 0,
        postings: [
          { account: 'viewer:1', unit: 'COIN' as const, amount: -2 },
          { account: 'creator:2', unit: 'COIN' as const, amount: 2 },
        ],
        principal: 'viewer:1',
        key: 'k',
        fingerprint: 'f',
        answer: '{}',
        carry: { creator: 2, bp: 7 },
      };
      const failed = committer.submit(() => {
        store.appendEntry(entry);
        store.rememberRefusal('viewer:1', 'r', { fingerprint: 'g', status: 409, body: '{}' });
        expect(store.balance('viewer:1', 'COIN')).toBe(-2);
        throw new Error('bug');
      });
      await expect(failed).rejects.toThrow('bug');
      expect(store.balance('viewer:1', 'COIN')).toBe(0);
      expect(store.carry(2)).toBe(0);
      expect(store.lastSeq()).toBe(0);
      expect(store.opIdFor('viewer:3', 'k')).toBe('k');
      expect(store.idempotency('viewer:1', 'r')).toBeUndefined();
      expect(store.balancesPage(undefined, 10)).toEqual([]);
      // Committed, it stays (and the key is taken: another principal's opId is scoped).
      expect(await committer.submit(() => store.appendEntry(entry))).toBe(1);
      expect(store.balancesPage(undefined, 10).map((r) => [r.account, r.balance])).toEqual([
        ['creator:2', 2],
        ['viewer:1', -2],
      ]);
      expect(store.carry(2)).toBe(7);
      expect(store.opIdFor('viewer:3', 'k')).toBe('k\u00b7viewer:3');
      expect(store.idempotency('viewer:1', 'k')?.fingerprint).toBe('f');
      expect(store.idempotency('viewer:3', 'k')).toBeUndefined();
    } finally {
      committer.close();
      store.close();
    }
  });

  it('refuses a database of the older schema, naming --db (exit 2), and leaves it as it was', () => {
    const file = join(dir, 'old.db');
    const old = new Database(file);
    old.exec('CREATE TABLE entries (seq INTEGER PRIMARY KEY, op_id TEXT NOT NULL)');
    old.close();
    expect(() => new Store({ file })).toThrow(InputError);
    expect(() => new Store({ file })).toThrow(/--db: expected a database written by this giftlab/);
  });
});
