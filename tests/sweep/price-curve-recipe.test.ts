/**
 * README's "A price curve, not one point": the command it prints plans a sweep whose points multiply
 * every pack's price from the start, and the advice it gives around it holds — launch-90d's own event is
 * at index 0, so its price change goes at index 1.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { planSweep } from '../../experiments/sweep/plan.ts';
import { loadScenarioFile } from '../../scenarios/load.ts';

/** The --set and --vary values of the README's price-curve command. */
function recipe(): { sets: string[]; vary: string[] } {
  const readme = readFileSync('README.md', 'utf8');
  const at = readme.indexOf('**A price curve, not one point.**');
  expect(at).toBeGreaterThan(0);
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(at))?.[1] ?? '';
  const command = block.replace(/\\\n/g, ' ');
  const flag = (name: string) =>
    [...command.matchAll(new RegExp(`--${name} ('([^']*)'|(\\S+))`, 'g'))].map((m) => m[2] ?? m[3]);
  return { sets: flag('set'), vary: flag('vary') };
}

describe("README's price-curve recipe", () => {
  it('plans points that reprice every pack from the start', () => {
    const { sets, vary } = recipe();
    expect(vary).toEqual(['events.0.factor=1,1.2']);
    const plan = planSweep('scenarios/baseline.yaml', { vary, sets, replications: 1, check: 'end' });
    const factors = plan.pointScenarios.map((s) => s.events.map((e) => ({ ...e })));
    for (const [i, factor] of [1, 1.2].entries())
      expect(factors[i]).toEqual([expect.objectContaining({ kind: 'price-change', at: 0, factor })]);
  });

  it('a price change cannot start before 0, and on launch-90d it goes after its burst', () => {
    expect(() =>
      loadScenarioFile('scenarios/baseline.yaml', {
        sets: ['events[0]={kind: price-change, at: -1, factor: 1.2}'],
      }),
    ).toThrow(/events\.0\.at/);
    const { sets } = recipe();
    const launchSets = sets.map((s) => s.replace('events[0]', 'events[1]'));
    const plan = planSweep('scenarios/launch-90d.yaml', {
      vary: ['events.1.factor=1,1.2'],
      sets: launchSets,
      replications: 1,
      check: 'end',
    });
    expect(plan.pointScenarios[1].events.map((e) => e.kind)).toEqual(['acquisition-burst', 'price-change']);
  });
});
