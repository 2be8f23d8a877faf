/**
 * The help of `--kpi` (sweep, and --precision's on run and compare) names the default the code takes,
 * from `DEFAULT_KPI` (sim/kpis.ts); it used to spell platformMarginCents out three times. Here the
 * default is swapped for another KPI: help that wrote the name by hand would still say the old one.
 */
import { Command } from 'commander';
import { describe, expect, it, vi } from 'vitest';

vi.mock('../../sim/kpis.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../sim/kpis.ts')>()),
  DEFAULT_KPI: 'grossBookingsCents',
}));

const { COMMANDS } = await import('../../cli/commands.ts');
const { kpiOf } = await import('../../experiments/sweep/plan.ts');

function kpiHelp(usage: string): string | undefined {
  const spec = COMMANDS.find((c) => c.usage.startsWith(`${usage} `));
  const cmd = new Command(usage);
  spec?.configure?.(cmd);
  return cmd.options.find((o) => o.long === '--kpi')?.description;
}

describe('--kpi help', () => {
  it('names the default the code takes', () => {
    expect(kpiOf(undefined)).toBe('grossBookingsCents');
    for (const usage of ['run', 'sweep', 'compare']) {
      const help = kpiHelp(usage);
      expect(help, usage).toContain('default grossBookingsCents');
      expect(help, usage).not.toContain('platformMarginCents');
    }
  });
});
