/** How unequal the economy is: Lorenz curves of creator earnings and payer spend, with Gini coefficients. */
import type { TopLevelSpec } from 'vega-lite';
import type { LorenzCurve } from '../../../experiments/result.ts';
import { percent } from '../../format.ts';
import { lorenzAt, mean, thinLorenz } from '../data.ts';
import { INK, MEANING } from '../theme.ts';
import type { Chart, ChartInput, FactGroup } from './chart.ts';

export function lorenzCurves(input: ChartInput): Chart {
  const { run } = input;
  const first = run.replications[0];
  const reps = run.replications.length;
  const creatorGini = run.kpiStats.creatorEarningsGini.mean;
  const payerGini = mean(run.replications.map((r) => r.lorenz.payerSpend.gini));
  const top = run.kpiStats.topCreatorShare1Pct.mean;
  const topPayers = run.kpiStats.topPayerShare1Pct.mean;
  const creators = 'Creator earnings';
  const payers = 'Payer spend';
  const values = [
    ...thinLorenz(first.lorenz.creatorEarnings).map((p) => ({ ...p, series: creators })),
    ...thinLorenz(first.lorenz.payerSpend).map((p) => ({ ...p, series: payers })),
  ];
  const axis = { format: '.0%', tickCount: 5, grid: true };
  const spec: TopLevelSpec = {
    width: 420,
    height: 380,
    layer: [
      {
        data: {
          values: [
            { x: 0, y: 0 },
            { x: 1, y: 1 },
          ],
        },
        mark: { type: 'line', color: INK.faint, strokeDash: [4, 4], strokeWidth: 1 },
        encoding: {
          x: { field: 'x', type: 'quantitative' },
          y: { field: 'y', type: 'quantitative' },
        },
      },
      {
        data: { values: [{ x: 0.55, y: 0.62, text: 'perfect equality' }] },
        mark: { type: 'text', angle: -42, color: INK.faint, fontSize: 11, dy: -8 },
        encoding: {
          x: { field: 'x', type: 'quantitative' },
          y: { field: 'y', type: 'quantitative' },
          text: { field: 'text' },
        },
      },
      {
        data: { values },
        mark: { type: 'line', strokeWidth: 2.5 },
        encoding: {
          x: {
            field: 'x',
            type: 'quantitative',
            title: 'share of holders, poorest first (%)',
            axis,
            scale: { domain: [0, 1] },
          },
          y: {
            field: 'y',
            type: 'quantitative',
            title: 'share of the total (%)',
            axis,
            scale: { domain: [0, 1] },
          },
          color: {
            field: 'series',
            type: 'nominal',
            title: null,
            scale: { domain: [creators, payers], range: [MEANING.creators, MEANING.payers] },
            legend: {
              orient: 'top-left',
              direction: 'vertical',
              offset: 12,
              labelFontSize: 13,
              labelLimit: 0,
              labelColor: INK.text,
            },
          },
        },
      },
    ],
  };
  return {
    id: 'lorenz',
    title: 'Concentration: Lorenz curves and Gini of creator earnings and payer spend',
    reading: `How concentrated are earnings and spending? The further a curve sags below the diagonal, the more goes to a few: the top 1 % of creators take ${percent(top, 0)} of earnings, the top 1 % of payers bring ${percent(topPayers, 0)} of spend.`,
    spec,
    facts: [
      concentrationFacts(
        'Creators: share of earnings',
        run.replications.map((r) => r.lorenz.creatorEarnings),
        top,
        creatorGini,
        MEANING.creators,
      ),
      concentrationFacts(
        'Payers: share of spend',
        run.replications.map((r) => r.lorenz.payerSpend),
        topPayers,
        payerGini,
        MEANING.payers,
      ),
    ],
    note:
      reps > 1
        ? `Curves drawn from replication 1 of ${reps}; the figures beside them are means over all replications. Creators with no earnings count as holders; payer spend counts paying viewers only.`
        : 'Creators with no earnings count as holders; payer spend counts paying viewers only.',
  };
}

/** Shares read off the curves (means over replications); the top 1 % and Gini as the run's KPIs state them. */
function concentrationFacts(
  heading: string,
  curves: readonly LorenzCurve[],
  top1: number,
  gini: number,
  color: string,
): FactGroup {
  const at = (x: number) => mean(curves.map((c) => lorenzAt(c, x)));
  return {
    heading,
    color,
    rows: [
      { label: 'top 1 % hold', value: percent(top1, 1) },
      { label: 'top 10 % hold', value: percent(1 - at(0.9), 1) },
      { label: 'bottom 50 % hold', value: percent(at(0.5), 1) },
      { label: 'Gini coefficient', value: gini.toFixed(3) },
    ],
  };
}
