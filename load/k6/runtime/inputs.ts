/**
 * The script's inputs, read in the init context: the workload and the target profile (small, parsed
 * by every VU) and the users file (shared read-only between VUs with a SharedArray, so memory per VU
 * does not grow with the number of users). Paths come from environment variables that `giftlab load`
 * sets; relative paths resolve against the script's folder, as `open()` does.
 */
import { SharedArray } from 'k6/data';
import type { VuStream } from '../lib/streams.ts';
import type { TargetProfile, Workload } from '../lib/types.ts';
import { type User, usersOf } from '../lib/users.ts';

export type { User };

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
  /** Put before every file handleSummary writes (a runner's pod name under the k6-operator). */
  outPrefix: string;
  /** The economy profiles' streams, by index (instance × slots + slot); empty for smoke and race. */
  streams: VuStream[];
}

export function readInputs(env: Record<string, string | undefined>): Inputs {
  const workloadFile = required(env, 'GIFTLAB_WORKLOAD');
  const profileFile = required(env, 'GIFTLAB_TARGET_PROFILE');
  // One users file, or its parts in order, comma-separated (the k6-operator's Secrets).
  const usersFiles = required(env, 'GIFTLAB_USERS').split(',');
  const targetUrl = required(env, 'GIFTLAB_TARGET').replace(/\/+$/, '');
  const viewers = new SharedArray('giftlab viewers', () =>
    usersOf(usersFiles, 'viewers', open),
  ) as unknown as User[];
  const creators = new SharedArray('giftlab creators', () =>
    usersOf(usersFiles, 'creators', open),
  ) as unknown as User[];
  const admin = new SharedArray('giftlab admin', () => [adminOf(usersFiles[0])]) as unknown as string[];
  // Parsed once for all VUs; each VU reads (parses) its own stream only.
  const streamFiles = env.GIFTLAB_STREAMS;
  const streams = (
    streamFiles === undefined || streamFiles === ''
      ? []
      : new SharedArray('giftlab streams', () =>
          streamFiles
            .split(',')
            .reduce((all: VuStream[], f) => all.concat(JSON.parse(open(f)) as VuStream[]), []),
        )
  ) as VuStream[];
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
    outPrefix: env.GIFTLAB_OUT_PREFIX ?? '',
    streams,
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

function adminOf(file: string): string {
  const token = (JSON.parse(open(file)) as { adminToken?: unknown }).adminToken;
  return typeof token === 'string' ? token : '';
}
