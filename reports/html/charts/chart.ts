/** What every chart of the report is: a title, a one-line reading aid, and a spec (or why there is none). */
import type { TopLevelSpec } from 'vega-lite';
import type { RunResult } from '../../../experiments/result.ts';
import type { Scenario } from '../../../scenarios/schema/scenario.ts';

/** One layer of a layered vega-lite spec. */
export type LayerItem = Extract<TopLevelSpec, { layer: unknown }>['layer'][number];

export interface ChartInput {
  run: RunResult;
  scenario: Scenario;
}

export interface Chart {
  /** Anchor in the page, and the `data-chart` attribute tests look for. */
  id: string;
  title: string;
  /** One line beneath the chart: the question it answers. */
  reading: string;
  /** Null when the data cannot support the chart (say why in `note`). */
  spec: TopLevelSpec | null;
  /** Shown instead of the chart when `spec` is null, or as a footnote beneath it. */
  note?: string;
  /** Key figures shown beside the chart, grouped under headings. */
  facts?: FactGroup[];
}

export interface FactGroup {
  heading: string;
  color?: string;
  rows: { label: string; value: string }[];
}

export function replicationsText(n: number): string {
  return n === 1 ? 'one replication' : `mean of ${n} replications`;
}
