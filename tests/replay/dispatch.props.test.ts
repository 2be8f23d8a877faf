/**
 * Dispatch under concurrency (fast-check): every operation is sent once; per account, each starts only
 * after every earlier one on that account has settled; never more than `concurrency` in flight; an
 * operation waiting for its account does not hold back later ones on other accounts; a limit and a
 * signal leave a prefix of the run sent and nothing past it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { opAccounts, type SimOp } from '../../experiments/oplog/op.ts';
import { dispatch } from '../../load/replay/dispatch.ts';

const opArb = fc.oneof(
  fc.record({ kind: fc.constant('purchase' as const), viewer: fc.nat(4) }),
  fc.record({ kind: fc.constant('gift' as const), viewer: fc.nat(4), creator: fc.nat(3) }),
  fc.record({ kind: fc.constant('withdrawal' as const), creator: fc.nat(3) }),
);

function ops(specs: readonly { kind: string; viewer?: number; creator?: number }[]): SimOp[] {
  return specs.map(
    (s, i) =>
      ({
        opId: `sim-${i + 1}`,
        at: i,
        result: 'ok',
        channel: 'app',
        pack: 'p',
        gift: 'rose',
        count: 1,
        diamonds: 1,
        viewer: 0,
        creator: 0,
        ...s,
      }) as SimOp,
  );
}

/** Runs dispatch with sends that settle after the given ticks; records starts and ends. */
async function run(list: SimOp[], concurrency: number, delays: number[], extra = {}) {
  const events: { i: number; what: 'start' | 'end' }[] = [];
  let inFlight = 0;
  let most = 0;
  const index = new Map(list.map((op, i) => [op, i]));
  const result = await dispatch(
    list,
    async (op) => {
      const i = index.get(op) as number;
      events.push({ i, what: 'start' });
      most = Math.max(most, ++inFlight);
      for (let t = 0; t < delays[i % delays.length]; t++) await Promise.resolve();
      inFlight--;
      events.push({ i, what: 'end' });
    },
    { concurrency, ...extra },
  );
  return { events, most, result };
}

/** For every start, every earlier operation sharing an account has ended. */
function keepsAccountOrder(list: SimOp[], events: { i: number; what: string }[]): boolean {
  const ended = new Set<number>();
  for (const e of events) {
    if (e.what === 'end') ended.add(e.i);
    else {
      const mine = opAccounts(list[e.i]);
      for (let j = 0; j < e.i; j++) {
        if (opAccounts(list[j]).some((a) => mine.includes(a)) && !ended.has(j)) return false;
      }
    }
  }
  return true;
}

describe('dispatch', () => {
  it('sends each once, keeps every account’s order, and stays within the concurrency', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArb, { maxLength: 60 }),
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.nat(6), { minLength: 1, maxLength: 10 }),
        async (specs, concurrency, delays) => {
          const list = ops(specs);
          const { events, most, result } = await run(list, concurrency, delays);
          const starts = events.filter((e) => e.what === 'start').map((e) => e.i);
          expect([...starts].sort((a, b) => a - b)).toEqual(list.map((_, i) => i));
          expect(most).toBeLessThanOrEqual(concurrency);
          expect(keepsAccountOrder(list, events)).toBe(true);
          expect(result).toEqual({ sent: list.length, skipped: 0, reached: list.length, stopped: undefined });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a check that can fail: sending in plain order with no waiting breaks the account order', () => {
    const list = ops([
      { kind: 'gift', viewer: 0, creator: 0 },
      { kind: 'withdrawal', creator: 0 },
    ]);
    const overlapped = [
      { i: 0, what: 'start' },
      { i: 1, what: 'start' },
      { i: 0, what: 'end' },
      { i: 1, what: 'end' },
    ];
    expect(keepsAccountOrder(list, overlapped)).toBe(false);
  });

  it('lets later operations on other accounts overtake one that waits for its account', async () => {
    // 0 is slow on viewer 0; 1 waits for it (viewer 0); 2 and 3 are on other accounts.
    const list = ops([
      { kind: 'purchase', viewer: 0 },
      { kind: 'purchase', viewer: 0 },
      { kind: 'purchase', viewer: 1 },
      { kind: 'purchase', viewer: 2 },
    ]);
    const { events } = await run(list, 3, [20, 1, 1, 1]);
    const order = events.filter((e) => e.what === 'start').map((e) => e.i);
    expect(order).toEqual([0, 2, 3, 1]);
  });

  it('a limit sends a prefix of the run, the skipped ones not counted', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArb, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 6 }),
        fc.nat(40),
        async (specs, concurrency, limit) => {
          const list = ops(specs);
          const skip = (op: SimOp) => Number(op.opId.slice(4)) % 3 === 0;
          const { events, result } = await run(list, concurrency, [2, 0, 5], { limit, skip });
          const starts = events.filter((e) => e.what === 'start').map((e) => e.i);
          const expected = list
            .map((op, i) => (skip(op) ? -1 : i))
            .filter((i) => i >= 0)
            .slice(0, limit);
          expect([...starts].sort((a, b) => a - b)).toEqual(expected);
          expect(result.sent).toBe(expected.length);
          for (let i = 0; i < result.reached; i++) expect(skip(list[i]) || starts.includes(i)).toBe(true);
          expect(starts.every((i) => i < result.reached)).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('a signal stops with what was sent a prefix: everything before `reached`, nothing from it on', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArb, { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 8 }),
        fc.nat(30),
        async (specs, concurrency, after) => {
          const list = ops(specs);
          const controller = new AbortController();
          let count = 0;
          const index = new Map(list.map((op, i) => [op, i]));
          const starts: number[] = [];
          const result = await dispatch(
            list,
            async (op) => {
              starts.push(index.get(op) as number);
              if (++count === after) controller.abort();
              for (let t = 0; t < (count % 4) * 3; t++) await Promise.resolve();
            },
            { concurrency, signal: controller.signal },
          );
          expect([...starts].sort((a, b) => a - b)).toEqual(list.slice(0, result.reached).map((_, i) => i));
          if (after >= 1 && after < list.length) expect(result.stopped).toBe('signal');
        },
      ),
      { numRuns: 100 },
    );
  });

  it('paces starts at the rate, on the injected clock', async () => {
    const list = ops(Array.from({ length: 12 }, (_, i) => ({ kind: 'purchase', viewer: i % 5 })));
    let clock = 0;
    const startsAt: number[] = [];
    const result = await dispatch(
      list,
      async () => {
        startsAt.push(clock);
      },
      {
        concurrency: 4,
        ratePerSecond: 100,
        now: () => clock,
        sleep: async (ms) => {
          clock += ms;
        },
      },
    );
    expect(result.sent).toBe(12);
    // The n-th start waits until n × 10 ms after the first.
    startsAt.forEach((t, n) => {
      expect(t).toBeGreaterThanOrEqual(n * 10);
    });
    expect(startsAt[11]).toBe(110);
  });

  it('a failed send stops new starts, lets those in flight settle, then rejects with its error', async () => {
    const list = ops(Array.from({ length: 40 }, (_, i) => ({ kind: 'purchase', viewer: i })));
    let inFlight = 0;
    let started = 0;
    const failing = dispatch(
      list,
      async (op) => {
        started++;
        inFlight++;
        for (let t = 0; t < 3; t++) await Promise.resolve();
        inFlight--;
        if (op.opId === 'sim-3') throw new Error('boom');
      },
      { concurrency: 4 },
    );
    await expect(failing).rejects.toThrow('boom');
    expect(inFlight).toBe(0);
    expect(started).toBeLessThan(list.length);
  });
});
