/**
 * Acknowledgements against the journal (invariants 7 and the replay half of 6), verdict by verdict:
 * which statuses count as applied, refused or unknown, and each verdict in full.
 */
import { describe, expect, it } from 'vitest';
import type { Ack } from '../../sim/invariants/ack-format.ts';
import { type AckOptions, type JournaledOp, reconcileAcks } from '../../sim/invariants/acks.ts';
import type { Violation } from '../../sim/invariants/types.ts';

const op = (seq: number, kind: JournaledOp['kind'] = 'purchase'): JournaledOp => ({ seq, kind, count: 1 });
const ack = (opId: string, status: number, response?: unknown, kind: Ack['kind'] = 'purchase'): Ack => ({
  opId,
  kind,
  status,
  ...(response === undefined ? {} : { response }),
});

function reconcile(
  acks: unknown[],
  journaled: Record<string, JournaledOp>,
  options: AckOptions = {},
): { seen: number; violations: Violation[] } {
  const violations: Violation[] = [];
  const seen = reconcileAcks(acks as Ack[], new Map(Object.entries(journaled)), options, (v) =>
    violations.push(v),
  );
  return { seen, violations };
}
const verdicts = (acks: unknown[], journaled: Record<string, JournaledOp>, options?: AckOptions) =>
  reconcile(acks, journaled, options).violations;

describe('acks against the journal', () => {
  it('counts every ack it reads, well-formed or not', () => {
    expect(reconcile([], {}).seen).toBe(0);
    expect(reconcile([ack('p', 200), null, ack('p', 200)], { p: op(1) }).seen).toBe(3);
  });

  it('2xx is applied, 4xx and 5xx refused, 0 unknown, 3xx neither', () => {
    for (const status of [200, 201, 299, 0])
      expect(verdicts([ack('p', status)], { p: op(1) }), `${status}`).toEqual([]);
    for (const status of [300, 399, 400, 409, 500, 0])
      expect(verdicts([ack('p', status)], {}), `${status}`).toEqual([]);
    for (const status of [400, 409, 599])
      expect(verdicts([ack('p', status)], { p: op(1) }), `${status}`).toHaveLength(1);
    for (const status of [300, 399])
      expect(verdicts([ack('p', status)], { p: op(1) }), `${status}`).toEqual([]);
    expect(verdicts([ack('p', 299)], {})).toHaveLength(1);
  });

  it('a malformed ack (7)', () => {
    expect(verdicts([{ opId: 'p', kind: 'gift', status: 700 }], {})).toEqual([
      {
        invariant: 7,
        seq: null,
        opId: null,
        accounts: [],
        expected: 'an ack',
        found: 'malformed',
        message: 'malformed ack: status should be an integer 0..599, found 700',
      },
    ]);
  });

  it('an entry nobody asked for (7), unless it is expected without an ack', () => {
    const journaled = { seed: op(1, 'purchase'), p: op(2) };
    expect(verdicts([ack('p', 200)], journaled)).toEqual([
      {
        invariant: 7,
        seq: 1,
        opId: 'seed',
        accounts: [],
        expected: 'an acknowledged request',
        found: 'a purchase entry nobody asked for',
        message: 'journal entry 1 (seed) has no request in the acks',
      },
    ]);
    expect(verdicts([ack('p', 200)], journaled, { isExpectedWithoutAck: (id) => id === 'seed' })).toEqual([]);
  });

  it('acknowledged but not in the journal (7)', () => {
    expect(verdicts([ack('p', 0), ack('p', 201)], {})).toEqual([
      {
        invariant: 7,
        seq: null,
        opId: 'p',
        accounts: [],
        expected: 'in the journal once',
        found: 'missing',
        message: 'p was acknowledged (201) but is not in the journal',
      },
    ]);
  });

  it('acknowledged, or of unknown outcome, yet in the journal more than once (7); refused and twice is 6 alone', () => {
    const twice = { ...op(4), count: 2 };
    expect(verdicts([ack('p', 201, { seq: 4 })], { p: twice })).toEqual([
      {
        invariant: 7,
        seq: 4,
        opId: 'p',
        accounts: [],
        expected: 'in the journal once',
        found: '2 entries',
        message: 'p is in the journal 2 times (entry 4 first) for an operation acknowledged 201',
      },
    ]);
    expect(verdicts([ack('p', 0)], { p: { ...op(4), count: 3 } })).toMatchObject([
      { invariant: 7, found: '3 entries', message: expect.stringContaining('whose outcome was unknown') },
    ]);
    // A timeout and a retry refused (503): the unknown one alone may have applied — once.
    expect(verdicts([ack('p', 0), ack('p', 503)], { p: twice })).toContainEqual(
      expect.objectContaining({ invariant: 7, found: '2 entries' }),
    );
    expect(verdicts([ack('p', 201, { seq: 4 })], { p: op(4) })).toEqual([]);
    // Refused and journaled at all is its own verdict; the duplicate is the journal checker's (6).
    expect(verdicts([ack('p', 409)], { p: twice })).toMatchObject([{ invariant: 7, expected: 'no effect' }]);
  });

  it('acknowledged as one kind, journaled as another (7)', () => {
    expect(verdicts([ack('g', 200, undefined, 'gift')], { g: op(4, 'refund') })).toEqual([
      {
        invariant: 7,
        seq: 4,
        opId: 'g',
        accounts: [],
        expected: 'gift',
        found: 'refund',
        message: 'g was acknowledged as a gift but journaled as a refund',
      },
    ]);
  });

  it('acknowledged as one entry, journaled as another (7); a response without a seq names none', () => {
    expect(verdicts([ack('p', 200, { seq: 9 })], { p: op(4) })).toEqual([
      {
        invariant: 7,
        seq: 4,
        opId: 'p',
        accounts: [],
        expected: 9,
        found: 4,
        message: 'p was acknowledged as entry 9 but journaled as 4',
      },
    ]);
    for (const response of [null, 4, 'seq', { seq: '9' }, { seq: 9.5 }, {}])
      expect(verdicts([ack('p', 200, response)], { p: op(4) }), JSON.stringify(response)).toEqual([]);
    expect(verdicts([ack('p', 200, {}), ack('p', 200, { seq: 4 })], { p: op(4) })).toEqual([]);
    // The first ack that names an entry is the one compared.
    expect(verdicts([ack('p', 200, {}), ack('p', 200, { seq: 9 })], { p: op(4) })).toMatchObject([
      { invariant: 7, expected: 9, found: 4 },
    ]);
  });

  it('replays answered with different entries (6)', () => {
    const acks = [
      ack('p', 200, { seq: 4 }),
      ack('p', 409),
      ack('p', 200, { seq: 5 }),
      ack('p', 200, { seq: 4 }),
    ];
    expect(verdicts(acks, { p: op(4) })).toEqual([
      {
        invariant: 6,
        seq: 4,
        opId: 'p',
        accounts: [],
        expected: 'one result for every replay',
        found: 'entries 4, 5',
        message: 'replays of p returned different results',
      },
    ]);
  });

  it('refused, yet in the journal (7); refused once and applied once is not', () => {
    expect(
      verdicts([ack('w', 0), ack('w', 409, undefined, 'withdrawal'), ack('w', 500)], {
        w: op(3, 'withdrawal'),
      }),
    ).toEqual([
      {
        invariant: 7,
        seq: 3,
        opId: 'w',
        accounts: [],
        expected: 'no effect',
        found: 'entry 3',
        message: 'w was answered 409 but changed balances (entry 3)',
      },
    ]);
    expect(verdicts([ack('w', 409), ack('w', 200)], { w: op(3) })).toEqual([]);
  });
});
