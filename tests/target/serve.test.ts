/** `giftlab serve` as a command (in-process): what it prints, the users file, --scenario, bad flags. */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { serve } from '../../cli/serve.ts';
import { InputError } from '../../common/input-error.ts';
import { readUsersFile } from '../../load/users-file.ts';
import { captureIo } from '../support/io.ts';
import { freePort } from './support/server.ts';

const dir = mkdtempSync(join(tmpdir(), 'giftlab-serve-'));
const share60 = fileURLToPath(new URL('../../scenarios/creator-share-60.yaml', import.meta.url));
const json = async (r: Response) => (await r.json()) as Record<string, never>;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `serve` until `use(url)` is done, then closes it as SIGTERM would. */
async function withServe(options: Parameters<typeof serve>[0], use: (url: string) => Promise<void>) {
  const c = captureIo(dir);
  const stop = new AbortController();
  let failure: unknown;
  const code = await serve({ port: 0, ...options }, c.io, {
    signal: stop.signal,
    onListening: (url) => {
      use(url).then(
        () => stop.abort(),
        (error) => {
          failure = error;
          stop.abort();
        },
      );
    },
  });
  if (failure !== undefined) throw failure;
  return { code, out: c.out() };
}

describe('giftlab serve', () => {
  it('prints where it listens, applies the baseline economy, writes a users file whose tokens work', async () => {
    const usersFile = join(dir, 'users.json');
    const { code, out } = await withServe({ seedUsers: 3, usersFile, db: join(dir, 'a.db') }, async (url) => {
      const users = readUsersFile(usersFile);
      expect(users.target).toBe(url);
      expect(users.viewers.map((v) => v.id)).toEqual([0, 1, 2]);
      expect(users.creators).toHaveLength(3);
      const economy = await json(await fetch(`${url}/v1/economy`));
      expect(economy.scenario).toBe('baseline');
      const r = await fetch(`${url}/v1/purchases`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${users.viewers[2].token}`,
          'idempotency-key': 'first',
          'content-type': 'application/json',
        },
        body: JSON.stringify({ viewerId: 2, channel: 'web', pack: 'c1750' }),
      });
      expect(r.status).toBe(201);
      const journal = await fetch(`${url}/v1/journal`, {
        headers: { authorization: `Bearer ${users.adminToken}` },
      });
      expect((await json(journal)).entries).toHaveLength(1);
    });
    expect(code).toBe(0);
    expect(out).toMatch(/^giftlab serve: listening on http:\/\/127\.0\.0\.1:\d+$/m);
    expect(out).toContain('synchronous=NORMAL, group commit');
    expect(out).toContain('users     users.json (3 viewers, 3 creators, admin token)');
    expect(out).toContain('giftlab serve: closed; WAL checkpointed');
  });

  it('--scenario sets the economy, and a database refuses to reopen with another one', async () => {
    const db = join(dir, 'b.db');
    await withServe({ scenario: share60, db }, async (url) => {
      const { economy } = await json(await fetch(`${url}/v1/economy`));
      expect((economy as { creatorShareBp: number }).creatorShareBp).toBe(6000);
    });
    await expect(withServe({ db }, async () => {})).rejects.toThrow(/--scenario: expected the economy/);
  });

  it('publishes the scenario with its --sets, so a mismatch names what differs (not "serves baseline, the run used baseline")', async () => {
    await withServe({ set: ['payout.creatorShare=0.6'] }, async (url) => {
      const { scenario, economy } = await json(await fetch(`${url}/v1/economy`));
      expect(scenario).toBe('baseline with --set payout.creatorShare=0.6');
      expect((economy as { creatorShareBp: number }).creatorShareBp).toBe(6000);
    });
    await withServe({}, async (url) => {
      expect((await json(await fetch(`${url}/v1/economy`))).scenario).toBe('baseline');
    });
  });

  it(':memory: is said to be not durable, and nothing more; a file database shows its durability settings', async () => {
    const memory = await withServe({}, async () => {});
    expect(memory.out).toMatch(/^ {2}database {2}:memory: \(not durable\)$/m);
    // It closed with 'WAL checkpointed', of a database that has no WAL.
    expect(memory.out).toMatch(/^giftlab serve: closed; the :memory: ledger is gone$/m);
    expect(memory.out).not.toContain('WAL');
    const file = await withServe({ db: join(dir, 'c.db') }, async () => {});
    expect(file.out).toMatch(/^ {2}database {2}c\.db \(WAL, synchronous=NORMAL, group commit\)$/m);
    expect(file.out).toMatch(/^giftlab serve: closed; WAL checkpointed$/m);
  });

  it('writes runs/users-<port>.json by default, says where, and replaces it on the next start on that port', async () => {
    const port = await freePort();
    const file = join(dir, 'runs', `users-${port}.json`);
    const tokens: string[] = [];
    for (let start = 0; start < 2; start++) {
      const { out } = await withServe({ port, seedUsers: 2 }, async (url) => {
        const users = readUsersFile(file);
        expect(users.target).toBe(url);
        const journal = await fetch(`${url}/v1/journal`, {
          headers: { authorization: `Bearer ${users.adminToken}` },
        });
        expect(journal.status).toBe(200);
        tokens.push(users.adminToken);
      });
      expect(out).toContain(`  users     runs/users-${port}.json (2 viewers, 2 creators, admin token)`);
    }
    expect(tokens[1]).not.toBe(tokens[0]);
    expect(readdirSync(join(dir, 'runs')).filter((f) => f.startsWith('users-'))).toEqual([
      `users-${port}.json`,
    ]);
  });

  it('shows a path outside the working directory as an absolute one', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'giftlab-serve-elsewhere-'));
    try {
      const usersFile = join(elsewhere, 'users.json');
      const { out } = await withServe({ seedUsers: 1, usersFile }, async () => {});
      expect(out).toContain(`  users     ${usersFile} (1 viewers, 1 creators, admin token)`);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('makes the folder --db names when it is missing (runs/ in a fresh clone), and keeps the data there', async () => {
    const db = join(dir, 'fresh', 'runs', 'target.db');
    const { code } = await withServe({ db }, async (url) => {
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
    });
    expect(code).toBe(0);
    expect(readdirSync(join(dir, 'fresh', 'runs'))).toContain('target.db');
  });

  it('refuses bad flags with InputError naming the flag', async () => {
    await expect(serve({ fault: 'sloppy' }, captureIo(dir).io)).rejects.toThrow(InputError);
    await expect(serve({ fault: 'sloppy' }, captureIo(dir).io)).rejects.toThrow(
      /--fault: expected one of none, lost-update/,
    );
    await expect(serve({ synchronous: 'off' }, captureIo(dir).io)).rejects.toThrow(/--synchronous/);
    const plain = join(dir, 'plain.txt');
    writeFileSync(plain, 'not a folder');
    await expect(serve({ db: join(plain, 'x.db') }, captureIo(dir).io)).rejects.toThrow(
      /--db: expected a file to write, found .*plain\.txt is not a folder/,
    );
    await expect(serve({ db: dir }, captureIo(dir).io)).rejects.toThrow(
      /--db: expected a file, not a folder/,
    );
  });

  it('refuses a blank --host (Node would listen on every interface), before it listens', async () => {
    await expect(withServe({ host: '' }, async () => {})).rejects.toThrow(
      /^--host: expected an address to listen on \(e\.g\. 127\.0\.0\.1\), found an empty string$/,
    );
    await expect(withServe({ host: ' \t' }, async () => {})).rejects.toThrow(
      '--host: expected an address to listen on (e.g. 127.0.0.1), found only whitespace (" \\t")',
    );
    const c = captureIo(dir);
    expect(await main(['serve', '--port', '0', '--host', ''], c.io)).toBe(2);
    expect(c.err().trim().split('\n')).toHaveLength(1);
    expect(c.err()).toContain(
      '--host: expected an address to listen on (e.g. 127.0.0.1), found an empty string',
    );
  });

  it('refuses --users-file without --seed-users: it would write nothing, and said nothing', async () => {
    const usersFile = join(dir, 'never.json');
    const expected =
      '--users-file: expected --seed-users n with it (a users file is written only when users are seeded)';
    await expect(withServe({ usersFile }, async () => {})).rejects.toThrow(
      `${expected}, found no --seed-users`,
    );
    await expect(withServe({ usersFile, seedUsers: 0 }, async () => {})).rejects.toThrow(
      `${expected}, found --seed-users 0`,
    );
    const c = captureIo(dir);
    expect(await main(['serve', '--port', '0', '--users-file', usersFile], c.io)).toBe(2);
    expect(c.err()).toContain(`${expected}, found no --seed-users`);
    expect(existsSync(usersFile)).toBe(false);
  });

  it('a users file it cannot write: exit 2 naming --users-file, and no server left listening', async () => {
    // It printed 'internal error: ENOENT' and kept listening, never exiting.
    await expect(serve({ seedUsers: 2, usersFile: '/proc/users.json' }, captureIo(dir).io)).rejects.toThrow(
      '--users-file: expected a file to write, found /proc/users.json: cannot write in /proc',
    );
    await expect(serve({ seedUsers: 2, usersFile: dir }, captureIo(dir).io)).rejects.toThrow(
      `--users-file: expected a file to write, found ${dir}: a folder`,
    );
    // The default runs/users-<port>.json, known once the port is: a file named runs is in the way.
    const cwd = join(dir, 'runs-is-a-file');
    mkdirSync(cwd);
    writeFileSync(join(cwd, 'runs'), '');
    let listening: string | undefined;
    const run = serve({ seedUsers: 2, port: 0 }, captureIo(cwd).io, {
      onListening: (url) => {
        listening = url;
      },
    });
    await expect(run).rejects.toThrow(
      /--users-file: expected a file to write, found .*runs\/users-\d+\.json: .*runs is not a folder/,
    );
    expect(listening).toBeUndefined();
  });

  it('names the port when it is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(serve({ port }, captureIo(dir).io)).rejects.toThrow(
        `--port: expected a free port, found ${port} is in use`,
      );
    } finally {
      blocker.close();
    }
  });

  it('exits 2 from the entry point, in one line', async () => {
    const c = captureIo(dir);
    expect(await main(['serve', '--fault', 'sloppy'], c.io)).toBe(2);
    expect(c.err().trim().split('\n')).toHaveLength(1);
    const port = captureIo(dir);
    expect(await main(['serve', '--port', '70000'], port.io)).toBe(2);
    expect(port.err()).toContain('--port: expected an integer from 0 to 65535');
  });
});
