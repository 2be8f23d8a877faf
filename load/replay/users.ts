/**
 * Who acts on the target: simulation viewer n is the n-th viewer of the users file (its id and token),
 * creator n the n-th creator (the file's format: `load/users-file.ts`). A file with fewer users than the
 * run's operations name is refused, saying how many are needed.
 */
import { InputError } from '../../common/input-error.ts';
import type { SimOp } from '../../experiments/oplog/op.ts';
import type { UsersFile } from '../users-file.ts';

/** The highest simulation viewer and creator the operations name, plus one (what the file must hold). */
export function usersNeeded(ops: readonly SimOp[]): { viewers: number; creators: number } {
  let viewers = 0;
  let creators = 0;
  for (const op of ops) {
    if (op.kind !== 'withdrawal') viewers = Math.max(viewers, op.viewer + 1);
    if (op.kind !== 'purchase') creators = Math.max(creators, op.creator + 1);
  }
  return { viewers, creators };
}

export function checkEnoughUsers(users: UsersFile, ops: readonly SimOp[], shownAs: string): void {
  const need = usersNeeded(ops);
  const short = (['viewers', 'creators'] as const).filter((k) => users[k].length < need[k]);
  if (short.length === 0) return;
  const n = Math.max(need.viewers, need.creators);
  throw new InputError(
    short.map((k) => ({
      field: `--users ${shownAs}`,
      expected: `at least ${need[k].toLocaleString('en-US')} ${k} (the run's operations use ${k.slice(0, -1)}s 0 to ${need[k] - 1}; giftlab serve --seed-users ${n} seeds enough)`,
      found: `${users[k].length.toLocaleString('en-US')} ${k}`,
    })),
  );
}

/** Account names of the simulation's ledger → the target's (only viewers and creators are renamed). */
export function accountMapper(users: UsersFile): (account: string) => string {
  return (account) => {
    if (account.startsWith('viewer:'))
      return `viewer:${users.viewers[Number(account.slice(7))]?.id ?? `?${account.slice(7)}`}`;
    if (account.startsWith('creator:'))
      return `creator:${users.creators[Number(account.slice(8))]?.id ?? `?${account.slice(8)}`}`;
    return account;
  };
}
