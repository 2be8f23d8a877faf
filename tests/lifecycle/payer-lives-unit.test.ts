/** PayerLives by hand: the budget of a payer present at the start is its drawn one, whatever its tenure. */
import { describe, expect, it } from 'vitest';
import { PayerLives } from '../../sim/engine/payer-lives.ts';

const DAY = 86_400;

describe('PayerLives', () => {
  it('a payer present at the start keeps its drawn budget at second 0, and grows from there', () => {
    const lives = new PayerLives(
      { firstPurchaseMeanSeconds: 0, payingMeanSeconds: 180 * DAY, tenureGrowth: 0.1 },
      4,
    );
    let u = 0;
    const rng = () => [0.9, 0.5, 0.99, 0.1][u++ % 4];
    lives.open(0, 5000, rng);
    lives.open(1, 777, rng);
    expect(lives.budgetAt(0, 0)).toBe(5000);
    expect(lives.budgetAt(1, 0)).toBe(777);
    // 30 days on: × 1.1.
    expect(lives.budgetAt(0, 30 * DAY)).toBe(5500);
  });

  it('a payer stopped and restarted goes on with its life: the same end, no new delay', () => {
    const lives = new PayerLives(
      { firstPurchaseMeanSeconds: DAY, payingMeanSeconds: DAY, tenureGrowth: 0 },
      2,
    );
    const rng = () => 0.5;
    const from = lives.start(0, 100, 1000, rng, true);
    const until = lives.untilOf(0);
    expect(from).toBe(100 + Math.ceil(-DAY * Math.log(0.5)));
    expect(until).toBe(from + Math.ceil(-DAY * Math.log(0.5)));
    // Restarted before it would have started: it starts when it would have; after: now. Same end.
    expect(lives.start(0, 200, 1000, () => 0.99, false)).toBe(from);
    expect(lives.start(0, from + 50, 1000, () => 0.99, false)).toBe(from + 50);
    expect(lives.untilOf(0)).toBe(until);
  });
});
