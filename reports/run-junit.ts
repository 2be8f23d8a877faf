/**
 * JUnit XML for `giftlab run --junit` and `giftlab sweep --junit`: a suite of thresholds (one case per
 * threshold, or per point × threshold for a sweep) and a suite of the invariants the simulation checked
 * (one case per invariant). CI systems show a crossed threshold as a failed test with its numbers.
 */
import type { ReplicationResult } from '../experiments/result.ts';
import { describeOutcome, type ThresholdOutcome } from '../scenarios/thresholds.ts';
import { INVARIANT_IDS, INVARIANTS, type InvariantId } from '../sim/invariants/types.ts';
import { dollarsExact } from './format.ts';
import { type JunitCase, type JunitSuite, junitXml } from './junit.ts';

/**
 * How to rerun what failed, for a failure's detail (a CI page shows it beside the failure): the whole
 * run, and one replication alone (`giftlab run`; a sweep gives none).
 */
export interface Reproduce {
  run: string;
  replication: (k: number) => string;
}

export function thresholdCases(
  outcomes: readonly ThresholdOutcome[],
  className: string,
  prefix = '',
  reproduce?: Reproduce,
): JunitCase[] {
  return outcomes.map((o) => {
    const c: JunitCase = { name: `${prefix}${o.expression}`, className };
    if (o.passed) return c;
    const again = reproduce === undefined ? '' : `\nto reproduce: ${reproduce.run}`;
    return {
      ...c,
      failure: {
        message: describeOutcome(o, dollarsExact).replace(/^✗ /, 'crossed: '),
        detail: `${detail(o)}${again}`,
      },
    };
  });
}

function detail(o: ThresholdOutcome): string {
  const stat = o.stat === 'mean' ? 'mean' : o.stat;
  return [
    `threshold ${o.expression}`,
    `${o.kpi} (${stat}) = ${o.value}`,
    `95 % CI [${o.ci95[0]}, ${o.ci95[1]}]`,
    `limit ${o.op} ${o.limit}`,
  ].join('\n');
}

/** One case per invariant: failed with the first violations, skipped when no replication checked it. */
export function invariantCases(
  replications: readonly Pick<ReplicationResult, 'replication' | 'invariants'>[],
  className: string,
  reproduce?: Reproduce,
): JunitCase[] {
  return INVARIANT_IDS.map((id: InvariantId) => {
    const c: JunitCase = { name: `${id} ${INVARIANTS[id]}`, className };
    if (!replications.some((r) => r.invariants.checked.includes(id))) {
      return { ...c, skipped: 'not checked by a simulation' };
    }
    const found = replications.flatMap((r) =>
      r.invariants.violations.filter((v) => v.invariant === id).map((v) => ({ r: r.replication, v })),
    );
    if (found.length === 0) return c;
    const lines = found.slice(0, 20).map(({ r, v }) => `replication ${r}: ${v.message}`);
    if (reproduce !== undefined) {
      const failing = [...new Set(found.map(({ r }) => r))].slice(0, 3);
      lines.push(...failing.map((r) => `to reproduce replication ${r}: ${reproduce.replication(r)}`));
    }
    return {
      ...c,
      failure: { message: `${found.length} violation(s): ${found[0].v.message}`, detail: lines.join('\n') },
    };
  });
}

export function runJunit(
  label: string,
  outcomes: readonly ThresholdOutcome[],
  replications: readonly Pick<ReplicationResult, 'replication' | 'invariants'>[],
  reproduce?: Reproduce,
): string {
  const suites: JunitSuite[] = [
    {
      name: `giftlab run ${label}: thresholds`,
      cases: thresholdCases(outcomes, 'giftlab.thresholds', '', reproduce),
    },
    {
      name: `giftlab run ${label}: invariants`,
      cases: invariantCases(replications, 'giftlab.invariants', reproduce),
    },
  ];
  return junitXml(suites);
}
