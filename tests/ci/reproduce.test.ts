/**
 * An invariant broken in `giftlab run` exits 3 with what broke in every failing replication, each
 * invariant in words, and a command per failing replication that reruns it alone — and that command,
 * run, breaks the same invariant with the same messages.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reproduceCommand, rerunCommand, violationReport } from '../../cli/reproduce.ts';
import type { ReplicationResult } from '../../experiments/result.ts';
import { INVARIANTS, type InvariantId } from '../../sim/invariants/types.ts';
import { giftlab, tmp } from '../replay/support.ts';

const SMALL = ['--set', 'population.viewers=2000', '--set', 'viewers.payerShare=0.2'];

function violated(
  replication: number,
  messages: string[],
  invariant: InvariantId = 2,
): Pick<ReplicationResult, 'replication' | 'invariants'> {
  return {
    replication,
    invariants: {
      checked: [1, 2, 3, 4, 5, 8] as InvariantId[],
      entries: 10,
      violationCount: messages.length,
      violations: messages.map((message) => ({
        invariant,
        seq: null,
        opId: null,
        accounts: [],
        expected: 0,
        found: 1,
        message,
      })),
    },
  };
}

describe('the command that reruns one replication', () => {
  const recipe = {
    file: 'scenarios/my pricing.yaml',
    sets: ['population.viewers=2000'],
    seed: 7,
    check: 'end',
  };

  it('replication 0 is a one-replication run; replication k is shard k+1 of k+1', () => {
    expect(reproduceCommand(recipe, 0)).toBe(
      "npx giftlab run 'scenarios/my pricing.yaml' --set population.viewers=2000 --seed 7 --replications 1",
    );
    expect(reproduceCommand({ ...recipe, check: 'all', fault: 'overdraw' }, 2)).toBe(
      "GIFTLAB_SIM_FAULT=overdraw npx giftlab run 'scenarios/my pricing.yaml' --set population.viewers=2000 --seed 7 --replications 3 --shard 3/3 --check all",
    );
  });

  it("goes beside the first run's folder, not over it", () => {
    expect(reproduceCommand({ ...recipe, out: 'runs/ci/baseline' }, 1)).toMatch(
      / --replications 2 --shard 2\/2 --out runs\/ci\/baseline-replication-1$/,
    );
    // Rerunning a rerun (its folder already a replication's) names it once, not twice over.
    expect(reproduceCommand({ ...recipe, out: 'runs/ci/baseline-replication-1' }, 1)).toMatch(
      / --out runs\/ci\/baseline-replication-1$/,
    );
  });

  it('the report lists every failing replication, the invariants in words and a rerun for each', () => {
    const many = Array.from({ length: 30 }, (_, i) => `viewer:${i} holds -1 coins`);
    const text = violationReport(
      [violated(0, many), violated(1, []), violated(2, ['gift op-3: lost a fraction'], 4)],
      recipe,
    );
    expect(text.split('\n')[0]).toBe('31 invariant violation(s) in 2 of 3 replication(s):');
    expect(text).toContain('  … and 25 more in replication 0 (see summary.json)');
    expect(text).toContain('  replication 2, invariant 4: gift op-3: lost a fraction');
    expect(text).toContain(`  invariant 2: ${INVARIANTS[2]} (replication 0)`);
    expect(text).toContain(`  invariant 4: ${INVARIANTS[4]} (replication 2)`);
    expect(text).toContain(`  replication 2 (seed 7): ${reproduceCommand(recipe, 2)}`);
    expect(text).not.toContain('replication 1 (seed');
  });
});

describe('giftlab run with a broken engine', () => {
  it('exit 3 names the invariant and the seed, and the printed command reproduces replication 1 alone', async () => {
    const env = { GIFTLAB_SIM_FAULT: 'drop-carry' };
    const first = await giftlab(
      [
        'run',
        'scenarios/baseline.yaml',
        ...SMALL,
        '--replications',
        '2',
        '--quiet',
        '--out',
        join(tmp(), 'run'),
      ],
      process.cwd(),
      env,
    );
    expect(first.code, first.err).toBe(3);
    expect(first.err).toContain(`invariant 4: ${INVARIANTS[4]} (replications 0, 1)`);
    const command = first.err.split('\n').find((l) => l.startsWith('  replication 1 (seed 42): '));
    expect(command, first.err).toBeDefined();
    const words = (command as string).replace('  replication 1 (seed 42): ', '').split(' ');
    expect(words.slice(0, 4)).toEqual(['GIFTLAB_SIM_FAULT=drop-carry', 'npx', 'giftlab', 'run']);
    expect(words).toContain('--shard');
    const out = words[words.indexOf('--out') + 1];
    expect(out).toMatch(/run-replication-1$/);
    const again = await giftlab(words.slice(3), process.cwd(), env);
    expect(again.code, again.err).toBe(3);
    const ofReplication1 = (text: string) =>
      text.split('\n').filter((l) => l.startsWith('  replication 1, invariant'));
    expect(ofReplication1(again.err).length).toBeGreaterThan(0);
    expect(ofReplication1(again.err)).toEqual(ofReplication1(first.err));
    expect(again.err).not.toContain('replication 0,');
    expect(existsSync(join(out, 'shard.json'))).toBe(true);
  });

  it('merged shards: exit 3 with a rerun from the merged scenario.yaml that breaks it again', async () => {
    const env = { GIFTLAB_SIM_FAULT: 'drop-carry' };
    const dir = tmp();
    for (const i of [1, 2]) {
      const args = ['run', 'scenarios/baseline.yaml', ...SMALL, '--replications', '2', '--shard', `${i}/2`];
      const shard = await giftlab([...args, '--quiet', '--out', join(dir, `s${i}`)], process.cwd(), env);
      expect(shard.code, shard.err).toBe(3);
    }
    const merged = await giftlab(['merge', join(dir, 's1'), join(dir, 's2'), '--out', join(dir, 'm')]);
    expect(merged.code, merged.err).toBe(3);
    expect(merged.err).toContain('in 2 of 2 replication(s) of the merged run:');
    const line = merged.err.split('\n').find((l) => l.startsWith('  replication 1 (seed 42): '));
    expect(line).toBe(
      `  replication 1 (seed 42): GIFTLAB_SIM_FAULT=drop-carry npx giftlab run ${join(dir, 'm', 'scenario.yaml')} --seed 42 --replications 2 --shard 2/2 --out ${join(dir, 'm')}-replication-1`,
    );
    const words = (line as string).replace('  replication 1 (seed 42): ', '').split(' ');
    const again = await giftlab(words.slice(3), process.cwd(), env);
    expect(again.code, again.err).toBe(3);
    const ofReplication1 = (text: string) =>
      text.split('\n').filter((l) => l.startsWith('  replication 1, invariant'));
    expect(ofReplication1(again.err)).toEqual(ofReplication1(merged.err));
  });
});

describe('giftlab sweep with a broken invariant', () => {
  it('exit 3 lists the failing point × replications, and the printed run breaks it again with the same message', async () => {
    const env = { GIFTLAB_SIM_FAULT: 'drop-carry' };
    const sweep = await giftlab(
      [
        'sweep',
        'scenarios/baseline.yaml',
        ...SMALL,
        '--vary',
        'payout.creatorShare=0.4,0.6',
        '--replications',
        '2',
        '--streams',
        'independent',
        '--quiet',
        '--out',
        join(tmp(), 'sweep'),
      ],
      process.cwd(),
      env,
    );
    expect(sweep.code, sweep.err).toBe(3);
    expect(sweep.err).toContain(`invariant 4: ${INVARIANTS[4]}`);
    // Point 1, replication 0 drew run replication 1 × 2 + 0 = 2 (independent streams).
    const prefix = '  point 1 (payout.creatorShare=0.6), replication 0: ';
    const line = sweep.err.split('\n').find((l) => l.startsWith(prefix));
    expect(line, sweep.err).toContain('--set payout.creatorShare=0.6 --seed 42 --replications 3 --shard 3/3');
    const words = (line as string).slice(prefix.length).split(' ');
    const again = await giftlab([...words.slice(3), '--out', join(tmp(), 'again')], process.cwd(), env);
    expect(again.code, again.err).toBe(3);
    const message = (text: string, start: string) =>
      text
        .split('\n')
        .find((l) => l.startsWith(start))
        ?.split(': ')
        .slice(1)
        .join(': ');
    expect(message(again.err, '  replication 2, invariant 4')).toBe(
      message(sweep.err, '  point 1, replication 0, invariant 4'),
    );
  });
});

describe('giftlab run with a crossed threshold', () => {
  it('JUnit failures carry the same commands: the run for a threshold, each failing replication for an invariant', async () => {
    const junit = join(tmp(), 'junit', 'run.xml');
    const r = await giftlab(
      [
        'run',
        'scenarios/baseline.yaml',
        ...SMALL,
        '--replications',
        '2',
        '--quiet',
        '--threshold',
        'giftsSent<0',
        '--junit',
        junit,
        '--out',
        join(tmp(), 'run'),
      ],
      process.cwd(),
      { GIFTLAB_SIM_FAULT: 'drop-carry' },
    );
    expect(r.code, r.err).toBe(3);
    const xml = readFileSync(junit, 'utf8');
    const base =
      'GIFTLAB_SIM_FAULT=drop-carry npx giftlab run scenarios/baseline.yaml --set population.viewers=2000 --set viewers.payerShare=0.2 --seed 42';
    expect(xml).toContain(`to reproduce replication 0: ${base} --replications 1`);
    expect(xml).toContain(`to reproduce replication 1: ${base} --replications 2 --shard 2/2`);
    expect(xml).toContain(`to reproduce: ${base} --replications 2 --threshold`);
  });

  it('exit 99 says how to rerun it, and the command crosses it again with the same value', async () => {
    const flags = ['--threshold', 'payerConversion.ci95[0]>0.5', '--threshold', 'giftsSent>0'];
    const args = ['run', 'scenarios/baseline.yaml', ...SMALL, '--replications', '2', '--quiet'];
    const first = await giftlab([...args, ...flags, '--out', join(tmp(), 'run')]);
    expect(first.code, first.err).toBe(99);
    const rerun = first.err.split('\n').find((l) => l.startsWith('to reproduce: '));
    expect(rerun).toBe(
      `to reproduce: ${rerunCommand({ file: 'scenarios/baseline.yaml', sets: SMALL.filter((_, i) => i % 2 === 1), seed: 42, check: 'end' }, 2, ['payerConversion.ci95[0]>0.5', 'giftsSent>0'])}`,
    );
    expect(rerun).toContain("--seed 42 --replications 2 --threshold 'payerConversion.ci95[0]>0.5'");
    const again = await giftlab([...args, '--seed', '42', ...flags, '--out', join(tmp(), 'again')]);
    expect(again.code).toBe(99);
    const crossed = (text: string) => text.split('\n').filter((l) => l.startsWith('  ✗ '));
    expect(crossed(again.err)).toEqual(crossed(first.err));
  });
});
