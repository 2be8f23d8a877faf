/**
 * The script's inputs, read in the init context: the workload and the target profile (small, parsed
 * by every VU), the users file and the economy profiles' request streams (shared read-only between VUs
 * with SharedArrays, so memory per VU does not grow with the number of users or the length of the run).
 * Paths come from environment variables that `giftlab load` sets; relative paths resolve against the
 * script's folder, as `open()` does.
 */
import { SharedArray } from 'k6/data';
import {
  chunkStreams,
  StreamCursor,
  type StreamIndex,
  type StreamItem,
  type VuStream,
} from '../lib/streams.ts';
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
  /** The economy profiles' streams, by index (instance × slots + slot); none for smoke and race. */
  streams: Streams;
}

/** The request streams as k6 holds them: chunks parsed when a VU reaches them (`lib/streams.ts`). */
export interface Streams {
  count(): number;
  /** A cursor over one stream; it parses one chunk at a time. */
  cursor(stream: number): StreamCursor;
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
  const streamFiles = env.GIFTLAB_STREAMS;
  const streams =
    streamFiles === undefined || streamFiles === '' ? NO_STREAMS : sharedStreams(streamFiles.split(','));
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

const NO_STREAMS: Streams = {
  count: () => 0,
  cursor: () => {
    throw new Error('giftlab: no request streams (GIFTLAB_STREAMS is not set)');
  },
};

/**
 * A chunk as the SharedArray holds it: its JSON in one string field. k6 deep-freezes every element it
 * hands out, in JavaScript, property by property (in v0.49 about as costly as the parse itself, per
 * item); an object of one string is frozen at once, and the chunk is then parsed here, unfrozen.
 */
interface Packed {
  json: string;
}

/**
 * The streams' files, read and cut into chunks once for all VUs (a SharedArray's function runs once):
 * element 0 is the index, then the chunks, stream by stream. Each VU reads the index and then only the
 * chunks of its own stream, each when it reaches it (a SharedArray parses an element on every access).
 */
function sharedStreams(files: string[]): Streams {
  const shared = new SharedArray('giftlab stream chunks', () => {
    const all = files.reduce((acc: VuStream[], f) => acc.concat(JSON.parse(open(f)) as VuStream[]), []);
    const { index, chunks } = chunkStreams(all);
    return [index as unknown, ...chunks.map((chunk): Packed => ({ json: JSON.stringify(chunk) }))];
  }) as unknown as ArrayLike<unknown>;
  let index: StreamIndex | undefined;
  const indexOf = () => {
    if (index === undefined) index = shared[0] as StreamIndex;
    return index;
  };
  return {
    count: () => indexOf().first.length,
    cursor: (stream) => {
      const ix = indexOf();
      if (!(stream >= 0 && stream < ix.first.length)) {
        throw new Error(`giftlab: stream ${stream} of ${ix.first.length}`);
      }
      const first = 1 + ix.first[stream];
      return new StreamCursor(
        ix.items[stream],
        ix.chunkItems,
        (k) => JSON.parse((shared[first + k] as Packed).json) as StreamItem[],
      );
    },
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
