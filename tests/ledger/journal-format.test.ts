/** The journal entry and the ack: one shape each, read and written the same way everywhere. */
import { describe, expect, it } from 'vitest';
import { parseAckLine } from '../../load/bundle/acks.ts';
import { ackLine, answerAckLine, sentAckLine } from '../../load/k6/lib/acks.ts';
import { SHARED_SCHEMAS } from '../../load/target/schemas.ts';
import { ackJson, ackProblem } from '../../sim/invariants/ack-format.ts';
import { ENTRY_KINDS, entryShapeProblem, statedShapeProblem } from '../../sim/ledger/journal.ts';

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

  it("are what the target's routes publish", () => {
    const byId = new Map(SHARED_SCHEMAS.map((s) => [s.$id, s]));
    const published = byId.get('JournalEntry') as {
      required: string[];
      properties: { kind: { enum: string[] } };
    };
    expect(published.required).toEqual(Object.keys(entry));
    expect(published.properties.kind.enum).toEqual([...ENTRY_KINDS]);
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
