/** Replay's verdict says what the compared operations exercised, and which rules they never reached. */
import { describe, expect, it } from 'vitest';
import type { SimOp } from '../../experiments/oplog/op.ts';
import { exercisedLine } from '../../load/replay/report.ts';

const purchase = (n: number, result = 'ok'): SimOp => ({
  kind: 'purchase',
  opId: `sim-${n}`,
  at: n,
  result,
  viewer: 1,
  channel: 'app',
  pack: 'c70',
});
const gift = (n: number, result = 'ok'): SimOp => ({
  kind: 'gift',
  opId: `sim-${n}`,
  at: n,
  result,
  viewer: 1,
  creator: 2,
  gift: 'rose',
  count: 1,
});
const withdrawal = (n: number): SimOp => ({
  kind: 'withdrawal',
  opId: `sim-${n}`,
  at: n,
  result: 'ok',
  creator: 2,
  diamonds: 10,
});

describe('what a replay exercised', () => {
  it('names the kinds and outcomes it never reached (the README example: gifts and purchases only, all ok)', () => {
    expect(exercisedLine([purchase(1), gift(2), gift(3)])).toBe(
      'exercised purchases 1, gifts 2, withdrawals 0; refused 0 (no refusal: the simulation sends only what it can pay for) — not exercised: withdrawals (their rules were not compared; a longer run, or for withdrawals a lower creators.withdrawAtDiamonds, has them)',
    );
  });

  it('says nothing is missing when every kind is there, and counts refusals', () => {
    expect(exercisedLine([purchase(1), gift(2, 'GIFT_ERR_INSUFFICIENT_COINS'), withdrawal(3)])).toBe(
      'exercised purchases 1, gifts 1, withdrawals 1; refused 1',
    );
  });
});
