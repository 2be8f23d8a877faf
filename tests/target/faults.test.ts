/**
 * Every fault mode is caught by the audit after the same concurrent load, each by the invariant it
 * breaks; the healthy server passes that load clean.
 */
import { describe, expect, it } from 'vitest';
import { targetLimits } from '../../common/limits.ts';
import { runAudit } from '../../load/audit/audit.ts';
import { FAULT_TABLE, FAULTS, type Fault } from '../../load/target/faults.ts';
import { economyLoad } from './support/load.ts';
import { listeningTarget } from './support/server.ts';

async function loadAndAudit(fault: Fault | undefined) {
  const t = await listeningTarget({ fault, onInternalError: () => {} });
  try {
    const acks = await economyLoad(t.url, t.users);
    // Writes answered on the slow fault's deadline are still on their way to the database.
    await new Promise((resolve) => setTimeout(resolve, targetLimits.slowLatencyMsMax + 50));
    return { acks, report: await runAudit({ target: t.url, adminToken: t.users.adminToken, acks }) };
  } finally {
    await t.close();
  }
}

describe('fault modes under concurrent load', () => {
  it('the healthy server passes: all 8 invariants hold, some writes were refused for funds', async () => {
    const { acks, report } = await loadAndAudit(undefined);
    expect(report.result.violations).toEqual([]);
    expect(report.result.checked).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(acks.filter((a) => a.status === 409).length).toBeGreaterThan(0);
    expect(acks.every((a) => a.status === 201 || a.status === 409)).toBe(true);
  });

  for (const fault of FAULTS) {
    const { invariants, breaks } = FAULT_TABLE[fault];
    it(`${fault} is caught by invariant ${invariants.join(' or ')} (${breaks})`, async () => {
      const { report } = await loadAndAudit(fault);
      expect(report.clean).toBe(false);
      const tripped = new Set(report.result.violations.map((v) => v.invariant));
      expect(
        invariants.some((i) => tripped.has(i)),
        [...tripped].join(),
      ).toBe(true);
    });
  }
});
