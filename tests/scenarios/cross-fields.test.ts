/**
 * The cross-field rules (`crossFieldChecks` in scenarios/schema/scenario.ts) read the parsed scenario's
 * own type. They used to read a hand-written subset the value was cast to: a field a new rule named
 * there but misspelt, or that the schema did not have, compiled, and the rule never fired.
 */
import { describe, expect, it } from 'vitest';
import type { CrossFields } from '../../scenarios/schema/scenario.ts';
import { baselineScenario } from '../support/run-fixture.ts';

describe('the cross-field rules’ view of a scenario', () => {
  it('is every field of the parsed scenario, defaults filled', () => {
    // Fields no rule read before: a new rule can use them without widening a type by hand.
    const read = (s: CrossFields) => [s.viewers.payerShare, s.creators.streamsPerDay, s.payout.creatorShare];
    expect(read(baselineScenario())).toEqual([expect.any(Number), expect.any(Number), expect.any(Number)]);
  });

  it('has no field the schema lacks', () => {
    const misspelt = (s: CrossFields) =>
      // @ts-expect-error: the schema has no viewers.giftsPerHourMax; the type check says so
      s.viewers.giftsPerHourMax;
    expect(misspelt(baselineScenario())).toBeUndefined();
  });
});
