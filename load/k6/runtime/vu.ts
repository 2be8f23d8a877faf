/**
 * One VU's share of the users and what it knows about them. Built at the VU's first iteration (the
 * execution segment and the instance's VU count are only known then): the instance owns the ranges
 * its execution segment gives it, and this VU a stripe of those, so no two VUs anywhere ever write for
 * the same viewer or creator — and a VU's idea of its viewers' coins stays exact without asking.
 * The race profile is the exception on purpose: every VU of an instance shares its first few users.
 */
import exec from 'k6/execution';
import { keyPrefix, parseSegment, type Segment, segmentRange, stripe } from '../lib/segments.ts';
import type { Inputs } from './inputs.ts';

/** A write sent earlier, kept to replay it with the same key and body. */
export interface Sent {
  op: 'purchase' | 'gift' | 'withdrawal';
  key: string;
  token: string;
  vars: Record<string, string | number | boolean>;
  tags: Record<string, string>;
  status: number;
  seq: number | undefined;
}

export interface Vu {
  segment: Segment;
  prefix: string;
  counter: number;
  /** Viewer and creator indexes into the users file this VU writes for. */
  viewers: number[];
  creators: number[];
  /** The instance's first users: the race profile's shared hot balances. */
  hotViewers: number[];
  hotCreators: number[];
  /** Coins of owned viewers as last stated by the target; undefined = unknown (ask). */
  coins: Record<number, number | undefined>;
  recent: Sent[];
}

const RECENT_MAX = 16;

let vu: Vu | undefined;

export function vuState(inputs: Inputs, runId: string): Vu {
  if (vu !== undefined) return vu;
  const w = inputs.workload;
  const segment = parseSegment(exec.test.options.executionSegment);
  const viewerPool = Math.min(w.pools.viewers, inputs.viewerCount);
  const creatorPool = Math.min(w.pools.creators, inputs.creatorCount);
  const v = segmentRange(segment, viewerPool);
  const c = segmentRange(segment, creatorPool);
  const slots = Math.max(1, exec.instance.vusInitialized);
  const slot = (exec.vu.idInInstance - 1) % slots;
  const viewers = stripe(v.lo, v.hi, slot, slots);
  const creators = stripe(c.lo, c.hi, slot, slots);
  vu = {
    segment,
    prefix: keyPrefix(runId, segment, exec.vu.idInInstance),
    counter: 0,
    viewers,
    creators,
    hotViewers: range(v.lo, Math.min(v.hi, v.lo + w.race.hotViewers)),
    hotCreators: range(c.lo, Math.min(c.hi, c.lo + w.race.hotCreators)),
    coins: {},
    recent: [],
  };
  return vu;
}

export function nextKey(state: Vu): string {
  state.counter++;
  return `${state.prefix}-${state.counter}`;
}

export function remember(state: Vu, sent: Sent): void {
  state.recent.push(sent);
  if (state.recent.length > RECENT_MAX) state.recent.shift();
}

function range(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let i = lo; i < hi; i++) out.push(i);
  return out;
}
