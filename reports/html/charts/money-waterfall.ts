/** Where a dollar of gross bookings goes: each purchase fee, creators, and what the platform keeps. */
import type { TopLevelSpec } from 'vega-lite';
import { PURCHASE_FEES } from '../../../sim/economy/rules.ts';
import { kpiInfo } from '../../../sim/kpis.ts';
import { centsToDollars, dollarsShort, percent } from '../../format.ts';
import { FULL_WIDTH, INK, MEANING } from '../theme.ts';
import { type Chart, type ChartInput, replicationsText } from './chart.ts';

type Kind = 'total' | 'fee' | 'subtotal' | 'creators' | 'income' | 'margin' | 'loss' | 'other';

interface Step {
  label: string;
  kind: Kind;
  /** Running level before and after the step, in cents. */
  fromCents: number;
  toCents: number;
}

export function moneySteps(input: ChartInput): Step[] {
  const k = input.run.kpiStats;
  const gross = k.grossBookingsCents.mean;
  const net = k.netRevenueCents.mean;
  const creators = k.creatorEarningsCents.mean;
  const margin = k.platformMarginCents.mean;
  const steps: Step[] = [{ label: 'Gross bookings', kind: 'total', fromCents: 0, toCents: gross }];
  let level = gross;
  for (const fee of PURCHASE_FEES) {
    const cut = k[fee.kpi].mean;
    steps.push({
      label: kpiInfo(fee.kpi)?.label ?? fee.kpi,
      kind: 'fee',
      fromCents: level,
      toCents: level - cut,
    });
    level -= cut;
  }
  steps.push(
    { label: 'Net revenue', kind: 'subtotal', fromCents: 0, toCents: net },
    { label: 'Creator earnings', kind: 'creators', fromCents: net, toCents: net - creators },
  );
  level = net - creators;
  // What creators paid to withdraw comes back to the platform (experiments/kpis.ts: margin's formula).
  const withdrawalFees = k.withdrawalFeesCents?.mean ?? 0;
  if (withdrawalFees > 0) {
    steps.push({
      label: 'Withdrawal fees',
      kind: 'income',
      fromCents: level,
      toCents: level + withdrawalFees,
    });
    level += withdrawalFees;
  }
  // The engine defines margin; if the steps do not reach it, show the gap rather than hide it.
  if (Math.abs(level - margin) >= 0.5)
    steps.push({ label: 'Other', kind: 'other', fromCents: level, toCents: margin });
  steps.push({
    label: 'Platform margin',
    kind: margin >= 0 ? 'margin' : 'loss',
    fromCents: 0,
    toCents: margin,
  });
  return steps;
}

export function moneyWaterfall(input: ChartInput): Chart {
  const steps = moneySteps(input);
  const gross = input.run.kpiStats.grossBookingsCents.mean;
  const values = steps.map((s, i) => {
    const amount = s.toCents - s.fromCents;
    const signed = s.kind === 'total' || s.kind === 'subtotal' || s.kind === 'margin' || s.kind === 'loss';
    const text = signed
      ? dollarsShort(s.toCents)
      : `${amount >= 0 ? '+' : '−'}${dollarsShort(Math.abs(amount))}`;
    return {
      order: i,
      label: s.label,
      kind: s.kind,
      from: centsToDollars(s.fromCents),
      to: centsToDollars(s.toCents),
      top: centsToDollars(Math.max(s.fromCents, s.toCents)),
      next: steps[i + 1]?.label ?? s.label,
      amount: text,
      share:
        gross > 0 && i > 0 ? `${percent(Math.abs(signed ? s.toCents : amount) / gross, 1)} of gross` : '',
    };
  });
  const sort = steps.map((s) => s.label);
  const kinds: Kind[] = ['total', 'fee', 'subtotal', 'creators', 'income', 'other', 'margin', 'loss'];
  const spec: TopLevelSpec = {
    width: FULL_WIDTH,
    height: 300,
    data: { values },
    encoding: {
      x: {
        field: 'label',
        type: 'nominal',
        sort,
        title: null,
        axis: { labelAngle: 0, labelFontSize: 12, labelColor: INK.text, labelFontWeight: 600 },
      },
    },
    layer: [
      {
        mark: { type: 'rule', strokeDash: [3, 3], color: INK.faint },
        transform: [{ filter: 'datum.label !== datum.next' }],
        encoding: { x2: { field: 'next' }, y: { field: 'to', type: 'quantitative' } },
      },
      {
        mark: { type: 'bar', width: { band: 0.62 }, cornerRadius: 2 },
        encoding: {
          y: {
            field: 'from',
            type: 'quantitative',
            title: `US dollars (${replicationsText(input.run.replications.length)})`,
            axis: { format: '$,.0f', tickCount: 6 },
            scale: {
              domain: [Math.min(0, ...values.map((v) => v.to)), Math.max(...values.map((v) => v.top)) * 1.14],
            },
          },
          y2: { field: 'to' },
          color: {
            field: 'kind',
            type: 'nominal',
            legend: null,
            scale: {
              domain: kinds,
              range: [
                MEANING.gross,
                MEANING.fee,
                MEANING.subtotal,
                MEANING.creators,
                MEANING.platform,
                INK.faint,
                MEANING.platform,
                MEANING.loss,
              ],
            },
          },
        },
      },
      {
        mark: { type: 'text', dy: -22, fontWeight: 700, fontSize: 13 },
        encoding: { y: { field: 'top', type: 'quantitative' }, text: { field: 'amount' } },
      },
      {
        mark: { type: 'text', dy: -8, fontSize: 11, color: INK.muted },
        encoding: { y: { field: 'top', type: 'quantitative' }, text: { field: 'share' } },
      },
    ],
  };
  return {
    id: 'money-waterfall',
    title: 'Where the money goes',
    reading:
      'Of every dollar viewers pay, how much goes to app stores, card processors and creators, and how much the platform keeps?',
    spec,
  };
}
