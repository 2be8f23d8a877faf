/** The users file: tokens for k6 and other clients, written by `giftlab serve --seed-users n`. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { UsersFile } from './context.ts';

export interface UsersFileOnDisk extends UsersFile {
  /** Base URL of the server that signed the tokens. */
  target: string;
}

export function writeUsersFile(path: string, target: string, users: UsersFile): void {
  mkdirSync(dirname(path), { recursive: true });
  const file: UsersFileOnDisk = { target, ...users };
  writeFileSync(path, `${JSON.stringify(file)}\n`, { mode: 0o600 });
}
