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
import { type SyncFn, WalSync } from './db/wal-sync.ts';
import { ApiError } from './errors.ts';
import { type Fault, faultKernel, makeWriter, type Writer } from './faults.ts';
import { type Principal, type Role, signToken } from './tokens.ts';

export interface TargetContext {
  readonly economy: Economy;
  readonly scenarioName: string;
  readonly store: Store;
  readonly book: Book;
  readonly committer: GroupCommitter;
  /** The WAL's syncs under `synchronous: FULL` (a file database); undefined otherwise. */
  readonly durable: WalSync | undefined;
  readonly writer: Writer;
  readonly fault: Fault | undefined;
  readonly users: UserRegistry;
  readonly secret: Buffer;
  /**
   * Tokens known to be signed with `secret`, and whom they name (bounded by `verifiedTokensMax`): the
   * ones verified, and the ones `seedUsers` signed — which spares a replay of many users an HMAC on
   * each user's first request.
   */
  readonly verifiedTokens: Map<string, Principal>;
  readonly now: () => number;
  /**
   * `value` once every write committed so far is durable: the answer of a read that may show any of
   * them (balances, the journal). At once unless `synchronous` is FULL.
   */
  visible<T>(value: T): Promise<T>;
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
  /** The WAL's fdatasync under FULL (tests inject a slow or failing one). */
  walSync?: SyncFn;
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
  const wal = store.walPath();
  let durable: WalSync | undefined;
  if (store.synchronous === 'FULL' && wal !== undefined) {
    // What opening wrote (the schema, the secret) is on disk before anything is answered.
    store.syncNow();
    durable = WalSync.open(wal, options.walSync);
  }
  const committer = new GroupCommitter(store.db, targetLimits.commitBatchMax, store, durable);
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  const writer = makeWriter(options.fault, { book, committer, rng: options.rng, sleep });
  const verifiedTokens = new Map<string, Principal>();
  const token = (principal: Principal) => {
    const signed = signToken(secret, principal);
    if (verifiedTokens.size < targetLimits.verifiedTokensMax) verifiedTokens.set(signed, principal);
    return signed;
  };
  return {
    economy,
    scenarioName: options.scenarioName,
    store,
    book,
    committer,
    durable,
    writer,
    fault: options.fault,
    users,
    secret,
    verifiedTokens,
    now: options.now,
    token,
    visible:
      durable === undefined
        ? (value) => Promise.resolve(value)
        : (value) =>
            durable.visible(value).catch(() => {
              throw new ApiError('GIFT_ERR_NOT_DURABLE');
            }),
    seedUsers(n) {
      if (!Number.isSafeInteger(n) || n < 0 || n > Math.min(targetLimits.seedUsersMax, limits.creatorsMax)) {
        throw new RangeError(`seedUsers: ${n} is out of range`);
      }
      const ids = Array.from({ length: n }, (_, i) => i);
      users.add('viewer', ids);
      users.add('creator', ids);
      // Before their tokens are handed out (written outside the group committer: synced here).
      if (durable !== undefined) store.syncNow();
      return {
        viewers: ids.map((id) => ({ id, token: token({ role: 'viewer', id }) })),
        creators: ids.map((id) => ({ id, token: token({ role: 'creator', id }) })),
        adminToken: token({ role: 'admin', id: 0 }),
      };
    },
  };
}
