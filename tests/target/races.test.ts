/**
 * Races on a real port: concurrent requests against one balance or one key resolve as some serial
 * order would — exactly the affordable gifts succeed, duplicates take effect once — and the audit
 * finds the ledger whole afterwards.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAudit } from '../../load/audit/audit.ts';
import { AckingClient } from './support/client.ts';
import { listeningTarget, type TestTarget } from './support/server.ts';

let t: TestTarget;
let client: AckingClient;
beforeAll(async () => {
  t = await listeningTarget({}, 40);
  client = new AckingClient(t.url);
});
afterAll(() => t.close());

const giftBody = (viewerId: number, count: number, giftId = 'panda') => ({
  viewerId,
  creatorId: 0,
  giftId,
  count,
  context: { kind: 'stream', id: 'race' },
});

async function coinsOf(viewer: number): Promise<number> {
  return (await client.get(`/v1/viewers/${viewer}/balance`, t.users.adminToken)).body.coins as number;
}

describe('concurrent writes', () => {
  it('20 gifts of 5 coins against 70 coins: exactly 14 succeed, none overdraws', async () => {
    const v = t.users.viewers[0];
    await client.write('purchase', v.token, 'race-p0', { viewerId: v.id, channel: 'app', pack: 'c70' });
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => client.write('gift', v.token, `race-g0-${i}`, giftBody(v.id, 1))),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(14);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(6);
    expect(await coinsOf(v.id)).toBe(0);
    const seqs = answers.filter((a) => a.status === 201).map((a) => a.body.seq);
    expect(new Set(seqs).size).toBe(14);
  });

  it('gifts of any sizes: the accepted ones fit the balance, and each refused one did not fit', async () => {
    let viewer = 1;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 2, maxLength: 30 }),
        async (counts) => {
          const v = t.users.viewers[viewer++];
          await client.write('purchase', v.token, `race-p${v.id}`, {
            viewerId: v.id,
            channel: 'app',
            pack: 'c350',
          });
          const answers = await Promise.all(
            counts.map((n, i) => client.write('gift', v.token, `race-g${v.id}-${i}`, giftBody(v.id, n))),
          );
          const spent = counts.filter((_, i) => answers[i].status === 201).reduce((s, n) => s + 5 * n, 0);
          const left = await coinsOf(v.id);
          expect(spent).toBeLessThanOrEqual(350);
          expect(left).toBe(350 - spent);
          counts.forEach((n, i) => {
            expect([201, 409]).toContain(answers[i].status);
            if (answers[i].status === 409) expect(5 * n).toBeGreaterThan(left);
          });
        },
      ),
      { numRuns: 15 },
    );
  });

  it('one key sent 20 times at once takes effect once; every answer is the first', async () => {
    const v = t.users.viewers[30];
    const body = { viewerId: v.id, channel: 'web', pack: 'c70' };
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => client.write('purchase', v.token, 'dup-1', body)),
    );
    expect(answers.every((a) => a.status === 201)).toBe(true);
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect(answers.filter((a) => a.replayed)).toHaveLength(19);
    expect(await coinsOf(v.id)).toBe(70);
  });

  it('one key with different bodies at once: one applies, the rest are 422', async () => {
    const v = t.users.viewers[31];
    const packs = ['c70', 'c350', 'c1400', 'c70', 'c350', 'c1400'];
    const answers = await Promise.all(
      packs.map((pack) =>
        client.write('purchase', v.token, 'dup-2', { viewerId: v.id, channel: 'app', pack }),
      ),
    );
    const applied = answers.filter((a) => a.status === 201);
    const conflicts = answers.filter((a) => a.status === 422);
    expect(applied.length + conflicts.length).toBe(packs.length);
    expect(new Set(applied.map((a) => a.body.pack))).toHaveProperty('size', 1);
    expect(await coinsOf(v.id)).toBe(applied[0].body.coins);
  });

  it('withdrawals racing for one balance never overdraw', async () => {
    const creator = t.users.creators[0];
    const diamonds = (await client.get(`/v1/creators/${creator.id}/balance`, creator.token)).body
      .diamonds as number;
    expect(diamonds).toBeGreaterThanOrEqual(100);
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        client.write('withdrawal', creator.token, `race-w-${i}`, { creatorId: creator.id, diamonds: 100 }),
      ),
    );
    const paid = answers.filter((a) => a.status === 201).length;
    expect(paid).toBe(Math.min(12, Math.floor(diamonds / 100)));
    const after = (await client.get(`/v1/creators/${creator.id}/balance`, creator.token)).body.diamonds;
    expect(after).toBe(diamonds - 100 * paid);
  });

  it('the audit finds every acknowledged race in the journal and nothing else', async () => {
    const report = await runAudit({ target: t.url, adminToken: t.users.adminToken, acks: client.acks });
    expect(report.result.violations).toEqual([]);
    expect(report.result.checked).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
