import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultUsersPath, readUsersFile, usersFileFor, writeUsersFile } from '../../load/users-file.ts';

const users = { viewers: [{ id: 0, token: 'v0' }], creators: [{ id: 3, token: 'c3' }], adminToken: 'a' };

function folderWith(target: string | undefined, port = 8080): string {
  const cwd = mkdtempSync(join(tmpdir(), 'giftlab-users-'));
  const file = join(cwd, defaultUsersPath(port));
  if (target === undefined) {
    mkdirSync(join(cwd, 'runs'));
    writeFileSync(file, JSON.stringify(users));
  } else writeUsersFile(file, target, users);
  return cwd;
}

describe('the users file: one writer, one reader, one default rule', () => {
  it('reads back what serve writes', () => {
    const cwd = folderWith('http://127.0.0.1:8080');
    expect(readUsersFile(join(cwd, 'runs/users-8080.json'))).toEqual({
      target: 'http://127.0.0.1:8080',
      ...users,
    });
  });

  it('names the field at fault and the file', () => {
    const cwd = folderWith(undefined);
    const bad = join(cwd, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...users, creators: [{ id: -1, token: 'c' }] }));
    expect(() => readUsersFile(bad, 'bad.json')).toThrow(
      /--users bad\.json: creators\[0\]\.id: expected an integer 0\.\./,
    );
    expect(() => readUsersFile(join(cwd, 'none.json'), 'none.json')).toThrow(
      /none\.json: no such file \(giftlab serve --seed-users/,
    );
  });

  it('defaults to runs/users-<port>.json of the same server, localhost and 127.0.0.1 alike', () => {
    const cwd = folderWith('http://127.0.0.1:8080');
    for (const target of ['http://127.0.0.1:8080', 'http://localhost:8080/']) {
      expect(usersFileFor(undefined, target, cwd, true)).toMatchObject({
        shownAs: 'runs/users-8080.json',
        defaulted: true,
      });
    }
    expect(usersFileFor('runs/users-8080.json', 'http://elsewhere:1', cwd, true).defaulted).toBe(false);
  });

  it("does not take another server's tokens: optional readers skip it, required ones say to pass --users", () => {
    const cwd = folderWith('http://127.0.0.1:8080');
    expect(usersFileFor(undefined, 'http://gifts.example:8080', cwd, false)).toBeUndefined();
    expect(() => usersFileFor(undefined, 'http://gifts.example:8080', cwd, true)).toThrow(
      /--users: expected a users file for http:\/\/gifts\.example:8080 \(pass --users\), found runs\/users-8080\.json: written for "http:\/\/127\.0\.0\.1:8080"/,
    );
    expect(usersFileFor(undefined, 'http://127.0.0.1:9090', cwd, false)).toBeUndefined();
    expect(() => usersFileFor(undefined, 'http://127.0.0.1:9090', cwd, true)).toThrow(
      /runs\/users-9090\.json: no such file/,
    );
  });

  it('a file without a target (written by hand) is taken for its port; port 80 when the URL names none', () => {
    expect(usersFileFor(undefined, 'http://gifts.example:8080', folderWith(undefined), true).defaulted).toBe(
      true,
    );
    expect(usersFileFor(undefined, 'http://gifts.example', folderWith(undefined, 80), true).shownAs).toBe(
      'runs/users-80.json',
    );
  });
});
