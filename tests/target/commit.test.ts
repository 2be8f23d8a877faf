/** Group commit: one transaction per turn of the event loop; a write that throws fails alone. */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { GroupCommitter } from '../../load/target/db/commit.ts';

function setup(batchMax = 64) {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)');
  const put = db.prepare('INSERT INTO t (k, v) VALUES (?, ?)');
  const rows = () => db.prepare('SELECT k, v FROM t ORDER BY k').all();
  return { db, put, rows, committer: new GroupCommitter(db, batchMax) };
}

describe('GroupCommitter', () => {
  it('commits the writes of one turn together, answering each with its own result', async () => {
    const { put, rows, committer } = setup();
    const results = await Promise.all(
      ['a', 'b', 'c'].map((k, i) => committer.submit(() => put.run(k, i).changes)),
    );
    expect(results).toEqual([1, 1, 1]);
    expect(committer.batches).toBe(1);
    expect(committer.writes).toBe(3);
    expect(rows()).toEqual([
      { k: 'a', v: 0 },
      { k: 'b', v: 1 },
      { k: 'c', v: 2 },
    ]);
  });

  it('a write that throws fails alone; its half-done effects are undone, the others commit', async () => {
    const { put, rows, committer } = setup();
    const settled = await Promise.allSettled([
      committer.submit(() => put.run('a', 1)),
      committer.submit(() => {
        put.run('half', 2);
        throw new Error('bug');
      }),
      committer.submit(() => put.run('c', 3)),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason.message).toBe('bug');
    expect(rows()).toEqual([
      { k: 'a', v: 1 },
      { k: 'c', v: 3 },
    ]);
  });

  it('flushes at once when the batch is full, and refuses writes once closed', async () => {
    const { put, rows, committer } = setup(2);
    const first = committer.submit(() => put.run('a', 1));
    committer.submit(() => put.run('b', 2));
    expect(rows()).toHaveLength(2);
    await first;
    committer.close();
    await expect(committer.submit(() => put.run('c', 3))).rejects.toThrow('closed');
  });
});
