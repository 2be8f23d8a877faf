/**
 * The script's inputs, read in the init context: the workload and the target profile (small, parsed
 * by every VU) and the users file (shared read-only between VUs with a SharedArray, so memory per VU
 * does not grow with the number of users). Paths come from environment variables that `giftlab load`
 * sets; relative paths resolve against the script's folder, as `open()` does.
 */
import { SharedArray } from 'k6/data';
import type { TargetProfile, Workload } from '../lib/types.ts';

export interface User {
  id: number;
  token: string;
}

export interface Inputs {
  workload: Workload;
  target: TargetProfile;
  targetUrl: string;
  /** Users by index, read once per VU and kept (a SharedArray parses an element on every access). */
  viewer(index: number): User;
  creator(index: number): User;
  viewerCount: number;
  creatorCount: number;
  adminToken: string;
  runId: string | undefined;
  outDir: string;
}

export function readInputs(env: Record<string, string | undefined>): Inputs {
  const workloadFile = required(env, 'GIFTLAB_WORKLOAD');
  const profileFile = required(env, 'GIFTLAB_TARGET_PROFILE');
  const usersFile = required(env, 'GIFTLAB_USERS');
  const targetUrl = required(env, 'GIFTLAB_TARGET').replace(/\/+$/, '');
  const viewers = new SharedArray('giftlab viewers', () =>
    usersOf(usersFile, 'viewers'),
  ) as unknown as User[];
  const creators = new SharedArray('giftlab creators', () =>
    usersOf(usersFile, 'creators'),
  ) as unknown as User[];
  const admin = new SharedArray('giftlab admin', () => [adminOf(usersFile)]) as unknown as string[];
  return {
    workload: JSON.parse(open(workloadFile)) as Workload,
    target: JSON.parse(open(profileFile)) as TargetProfile,
    targetUrl,
    viewer: cached(viewers),
    creator: cached(creators),
    viewerCount: viewers.length,
    creatorCount: creators.length,
    adminToken: admin[0],
    runId: env.GIFTLAB_RUN_ID,
    outDir: (env.GIFTLAB_OUT_DIR ?? '.').replace(/\/+$/, ''),
  };
}

function cached(shared: User[]): (index: number) => User {
  const kept: Record<number, User> = {};
  return (index) => {
    let user = kept[index];
    if (user === undefined) {
      user = shared[index];
      kept[index] = user;
    }
    return user;
  };
}

function required(env: Record<string, string | undefined>, name: string): string {
  const value = env[name];
  if (value === undefined || value === '') {
    throw new Error(`giftlab: set ${name} (giftlab load sets it; see load/k6/README.md)`);
  }
  return value;
}

function usersOf(file: string, family: 'viewers' | 'creators'): User[] {
  const parsed = JSON.parse(open(file)) as Record<string, unknown>;
  const list = parsed[family];
  if (!Array.isArray(list)) throw new Error(`giftlab: ${file} has no ${family} list`);
  return list.map((u: { id?: unknown; token?: unknown }, i: number) => {
    if (typeof u?.id !== 'number' || typeof u.token !== 'string') {
      throw new Error(`giftlab: ${file} ${family}[${i}] is not { id, token }`);
    }
    return { id: u.id, token: u.token };
  });
}

function adminOf(file: string): string {
  const token = (JSON.parse(open(file)) as { adminToken?: unknown }).adminToken;
  return typeof token === 'string' ? token : '';
}
