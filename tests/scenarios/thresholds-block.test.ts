import { describe, expect, it } from 'vitest';
import { InputError } from '../../common/input-error.ts';
import { loadScenarioFile } from '../../scenarios/load.ts';

describe("a scenario's thresholds block", () => {
  it('is checked at validation, each bad expression named by its path', () => {
    try {
      loadScenarioFile('scenarios/baseline.yaml', {
        sets: ['thresholds=["platformMargin>0", "giftsSent>>1", "payers>=10"]'],
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      const fields = (error as InputError).problems.map((p) => p.field);
      expect(fields).toEqual([
        expect.stringMatching(/^thresholds\.0\b/),
        expect.stringMatching(/^thresholds\.1\b/),
      ]);
      expect((error as InputError).message).toContain('expected a KPI');
      expect((error as InputError).message).toContain('kpi<op>number');
    }
  });

  it('accepts the forms --threshold accepts', () => {
    const s = loadScenarioFile('scenarios/baseline.yaml', {
      sets: [
        'thresholds=["platformMarginCents>0", "payerConversion.ci95[0]>0.01", "creatorEarningsGini.sd<1"]',
      ],
    });
    expect(s.thresholds).toHaveLength(3);
  });
});
