/** The progress bars' ETA: the time left at the average pace so far, by hand. */
import { describe, expect, it } from 'vitest';
import { etaText } from '../../cli/item-progress.ts';

describe('ETA', () => {
  it('is elapsed × (total − done) ÷ done, in seconds, minutes or hours', () => {
    expect(etaText(10, 25, 100)).toBe('30s');
    expect(etaText(10, 50, 100)).toBe('10s');
    expect(etaText(100, 50, 100)).toBe('1m40s');
    expect(etaText(600, 10, 100)).toBe('1h30m');
    expect(etaText(3, 100, 100)).toBe('0s');
  });

  it('says nothing (…) before 2 % is done or a second has passed, and never divides by 0', () => {
    expect(etaText(10, 1, 100)).toBe('…');
    expect(etaText(0.5, 50, 100)).toBe('…');
    expect(etaText(10, 0, 0)).toBe('…');
    expect(etaText(10, 2, 100)).toBe('8m10s');
  });
});
