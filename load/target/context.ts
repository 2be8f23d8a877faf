/**
 * What every plugin of the target shares: the economy, the store, the book, the writer (sound or
 * faulty), the token secret and the registered users. Built once by `buildApp`.
 */
import { randomBytes } from 'node:crypto';
import { limits, targetLimits } from '../../common/limits.ts';
import type { Economy } from '../../sim/economy/types.ts';
import type { UsersFile } from '../users-file.ts';
import { Book } from './book.ts';
import { GroupCommitter } from './db/commit.ts';
import type { Store } from './db/store.ts';
import { type Fault, faultKernel, makeWriter, type Writer } from './faults.ts';
import { type Principal, type Role, signToken } from './tokens.ts';

export interface TargetContext {
  readonly economy: Economy;
  readonly scenarioName: string;
  readonly store: Store;
  readonly book: Book;
  readonly committer: GroupCommitter;
  readonly writer: Writer;
  readonly fault: Fault | undefined;
  readonly users: UserRegistry;
  readonly secret: Buffer;
  readonly now: () => number;
  /** Registers viewers and creators 0..n−1 and returns their tokens (the users file). */
  seedUsers(n: number): Omit<UsersFile, 'target'>;
  token(principal: Principal): string;
}

export class UserRegistry {
  private readonly known = new Set<string>();

  constructor(private readonly store: Store) {
    for (const u of store.users()) this.known.add(`${u.role}:${u.id}`);
  }

  has(role: Exclude<Role, 'admin'>, id: number): boolean {
    return this.known.has(`${role}:${id}`);
  }

  add(role: Exclude<Role, 'admin'>, ids: number[]): void {
    this.store.addUsers(role, ids);
    for (const id of ids) this.known.add(`${role}:${id}`);
  }
}

export interface ContextOptions {
  economy: Economy;
  scenarioName: string;
  store: Store;
  fault: Fault | undefined;
  secret: Buffer | undefined;
  now: () => number;
  rng: () => number;
}

export function makeContext(options: ContextOptions): TargetContext {
  const { store, economy } = options;
  const secret =
    options.secret ??
    Buffer.from(
      store.metaOrInit('token_secret', () => randomBytes(32).toString('hex')),
      'hex',
    );
  const users = new UserRegistry(store);
  const book = new Book(economy, store, {
    idempotent: options.fault !== 'non-idempotent',
    kernel: faultKernel(options.fault),
    isUser: (role, id) => users.has(role, id),
  });
  const committer = new GroupCommitter(store.db, targetLimits.commitBatchMax, store);
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  const writer = makeWriter(options.fault, { book, committer, rng: options.rng, sleep });
  const token = (principal: Principal) => signToken(secret, principal);
  return {
    economy,
    scenarioName: options.scenarioName,
    store,
    book,
    committer,
    writer,
    fault: options.fault,
    users,
    secret,
    now: options.now,
    token,
    seedUsers(n) {
      if (!Number.isSafeInteger(n) || n < 0 || n > Math.min(targetLimits.seedUsersMax, limits.creatorsMax)) {
        throw new RangeError(`seedUsers: ${n} is out of range`);
      }
      const ids = Array.from({ length: n }, (_, i) => i);
      users.add('viewer', ids);
      users.add('creator', ids);
      return {
        viewers: ids.map((id) => ({ id, token: token({ role: 'viewer', id }) })),
        creators: ids.map((id) => ({ id, token: token({ role: 'creator', id }) })),
        adminToken: token({ role: 'admin', id: 0 }),
      };
    },
  };
}
