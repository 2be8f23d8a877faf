/** The journal entry and the ack: one shape each, read and written the same way everywhere. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAckLine } from '../../load/bundle/acks.ts';
import { ackLine, answerAckLine, sentAckLine } from '../../load/k6/lib/acks.ts';
import { SHARED_SCHEMAS } from '../../load/target/schemas.ts';
import { ackJson, ackProblem } from '../../sim/invariants/ack-format.ts';
import {
  ENTRY_JSON_SCHEMA,
  ENTRY_KINDS,
  entryShapeProblem,
  isEntry,
  isEntryLike,
  statedShapeProblem,
} from '../../sim/ledger/journal.ts';
import { hostileEntryArb, junkArb } from '../support/arbitraries.ts';

const entry = {
  seq: 1,
  opId: 'k1',
  kind: 'purchase',
  at: 5,
  postings: [
    { account: 'viewer:0', unit: 'COIN', amount: 70 },
    { account: 'platform:coins', unit: 'COIN', amount: -70 },
  ],
};

describe('journal entries', () => {
  it('name the field at fault in an untrusted entry', () => {
    expect(entryShapeProblem(entry)).toBeUndefined();
    const bad = { ...entry, postings: [entry.postings[0], { ...entry.postings[1], unit: 'EUR' }] };
    expect(entryShapeProblem(bad)).toEqual({
      field: 'postings[1].unit',
      expected: 'COIN|DIAMOND|USD',
      found: '"EUR"',
    });
    expect(entryShapeProblem({ ...entry, seq: 0 })?.field).toBe('seq');
    expect(statedShapeProblem({ account: 'viewer:0', unit: 'COIN', balance: 1.5 })).toMatch(
      /balance should be an integer/,
    );
  });

  it('are told from another file’s records: a seq or postings makes an entry, however malformed', () => {
    for (const v of [entry, { seq: 'x' }, { postings: null }, { ...entry, seq: 0 }])
      expect(isEntryLike(v), JSON.stringify(v)).toBe(true);
    const ack = { opId: 'k1', kind: 'gift', status: 201, response: {} };
    for (const v of [
      undefined,
      null,
      5,
      'seq',
      [entry],
      {},
      { hello: 1 },
      ack,
      { target: 'x', adminToken: 't' },
    ])
      expect(isEntryLike(v), JSON.stringify(v)).toBe(false);
    // A well-formed entry is never taken for another file's record.
    fc.assert(fc.property(fc.oneof(hostileEntryArb, junkArb), (v) => !isEntry(v) || isEntryLike(v)));
  });

  it("are what the target's routes publish", () => {
    const byId = new Map(SHARED_SCHEMAS.map((s) => [s.$id, s]));
    const published = byId.get('JournalEntry') as {
      required: string[];
      properties: { kind: { enum: string[] } };
    };
    expect(published.required).toEqual(Object.keys(entry));
    expect(published.properties.kind.enum).toEqual([...ENTRY_KINDS]);
  });

  it('document their fields in the published schema', () => {
    const described = (schema: unknown): Record<string, string> => {
      const s = schema as { description?: string; properties?: Record<string, unknown>; items?: unknown };
      const own = s.description === undefined ? {} : { '': s.description };
      const inner = Object.entries(s.properties ?? {}).flatMap(([name, sub]) =>
        Object.entries(described(sub)).map(([path, text]) => [path ? `${name}.${path}` : name, text]),
      );
      const items = Object.entries(s.items === undefined ? {} : described(s.items)).map(([path, text]) => [
        path ? `[].${path}` : '[]',
        text,
      ]);
      return { ...own, ...Object.fromEntries([...inner, ...items]) };
    };
    expect(described(ENTRY_JSON_SCHEMA)).toEqual({
      '': 'a journal entry: its postings sum to zero per unit',
      opId: 'the idempotency key of the operation that wrote it',
      at: 'seconds since the start of the run (simulation) or milliseconds since the epoch (a server)',
      'postings.[].account': 'family:key, e.g. viewer:3, creator:7, platform:cash',
      'postings.[].amount': 'signed; USD in cents',
    });
  });
});

describe('acks', () => {
  it("k6's log lines carry the one ack format, read back whole", () => {
    const ack = { opId: 'k"2', kind: 'gift' as const, status: 201, response: { seq: 4 } };
    expect(parseAckLine(ackLine(ack))).toEqual(ack);
    expect(parseAckLine(sentAckLine('k', 'gift'))).toEqual({
      opId: 'k',
      kind: 'gift',
      status: 0,
      response: null,
    });
    expect(parseAckLine(answerAckLine('k', 'purchase', 409, '{"code":"x"}', undefined))?.response).toEqual({
      code: 'x',
    });
    expect(JSON.parse(ackJson({ ...ack, extra: 1 } as typeof ack))).toEqual(ack);
  });

  it('are checked alike by the audit file reader, the log reader and the checker', () => {
    const tip = { opId: 'k', kind: 'tip', status: 201 };
    expect(ackProblem(tip)).toMatchObject({ field: 'kind' });
    expect(parseAckLine(`GIFTLAB_ACK ${JSON.stringify(tip)}`)).toBeUndefined();
    expect(ackProblem({ opId: 'k', kind: 'gift', status: 600 })).toMatchObject({ field: 'status' });
  });
});
