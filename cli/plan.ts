/** `giftlab plan <scenario> [--out plan.json]`: compile a scenario into a k6 workload plan. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { compilePlan } from '../load/plan/compile.ts';
import type { Plan } from '../load/plan/types.ts';
import { loadScenarioFile } from '../scenarios/load.ts';
import type { Io } from './commands.ts';
import { OWN_FILES, writableOutputFile } from './output-path.ts';

export interface PlanOptions {
  out?: string;
  set?: string[];
  replications?: number;
}

export async function plan(file: string, options: PlanOptions, io: Io): Promise<number> {
  const out =
    options.out === undefined
      ? undefined
      : writableOutputFile('--out', options.out, io.cwd, { ...OWN_FILES.plan, inputs: [file] });
  const scenario = loadScenarioFile(resolve(io.cwd, file), { sets: options.set });
  const compiled = compilePlan(scenario, { replications: options.replications });
  const json = `${JSON.stringify(compiled, null, 2)}\n`;
  if (out === undefined) {
    io.stdout.write(json);
  } else {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, json);
  }
  const where = out === undefined ? '' : ` → ${relative(io.cwd, out) || options.out}`;
  io.stderr.write(`${describePlan(compiled)}${where}\n`);
  return 0;
}

/** A few lines for people: totals, mean and peak rates, heavy spenders, the hottest stream. */
export function describePlan(p: Plan): string {
  const s = p.scenario;
  const peak = p.timeline.reduce((best, row) =>
    row.gift + row.purchase > best.gift + best.purchase ? row : best,
  );
  const heavy = p.spenders.classes[0];
  const hot = p.hotStreams[0];
  const n = (x: number) => (Math.round(x * 10) / 10).toLocaleString('en-US');
  const r = (x: number) => x.toPrecision(3);
  return [
    `plan of ${s.name} (seed ${s.seed}, ${p.replications} replication${p.replications === 1 ? '' : 's'}, ${s.viewers} viewers, ${s.creators} creators, ${s.durationSeconds} s):`,
    `  ${n(p.totals.purchases)} purchases, ${n(p.totals.gifts)} gift requests (${n(p.totals.giftUnits)} gifts), ${n(p.totals.withdrawals)} withdrawals`,
    `  mean ${r(p.rates.purchase)} purchases/s, ${r(p.rates.gift)} gifts/s; peak interval at ${peak.startSeconds} s: ${r(peak.purchase)} and ${r(peak.gift)}`,
    `  heavy spenders (top ${n(heavy.payerShare * 100)} % of ${n(p.pools.payers)} payers): ${n(heavy.spendShare * 100)} % of spend, ${n(heavy.giftShare * 100)} % of gift requests`,
    hot === undefined
      ? '  no gifts'
      : `  hottest stream: creator rank ${hot.rank}, ${n(hot.share * 100)} % of gift requests; ${n(p.streamShare * 100)} % of gifts on live streams`,
  ].join('\n');
}
