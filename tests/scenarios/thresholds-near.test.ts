/** A mistyped KPI name is answered with the KPI it was probably meant to be (kpiExpected, sim/kpis.ts). */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../common/input-error.ts';
import { parseThreshold } from '../../scenarios/thresholds.ts';
import { nearestKpi } from '../../sim/kpis.ts';

describe('the nearest KPI to a mistyped name', () => {
  it('within two edits, case aside, or the KPI the name begins (its unit left off)', () => {
    expect(nearestKpi('payerConvresion')).toBe('payerConversion');
    expect(nearestKpi('GIFTSSENT')).toBe('giftsSent');
    expect(nearestKpi('platformMargin')).toBe('platformMarginCents');
    expect(nearestKpi('arppu')).toBe('arppuCents');
    // Too short to mean one, or nothing near: no guess.
    expect(nearestKpi('gro')).toBeUndefined();
    expect(nearestKpi('happiness')).toBeUndefined();
  });

  it('a threshold on one names it, with every KPI after', () => {
    const error = (() => {
      try {
        parseThreshold('platformMargin>0');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toContain(
      'expected a KPI (did you mean platformMarginCents?): one of grossBookingsCents,',
    );
  });
});
