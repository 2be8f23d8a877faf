/** What `giftlab fit-data` prints: every estimate with its standard error, and the spend fit shown. */
import type { FitDataEstimates } from '../../experiments/fit-data/estimate.ts';
import { withSe } from '../../experiments/fit-data/fitted.ts';

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const pct = (x: number, se: number) => `${(100 * x).toFixed(2)} % (se ${(100 * se).toFixed(2)})`;

export function fitDataText(e: FitDataEstimates): string {
  const s = e.spend;
  const lines = [
    `${int(e.rows.purchases)} purchases and ${int(e.rows.gifts)} gifts by ${int(e.viewersInExport)} viewers over ${e.period.days} day(s) (${e.period.daysFrom})`,
    e.payerShare === undefined
      ? 'payer share: not estimated (give --viewers, the viewers of the period)'
      : `payer share: ${pct(e.payerShare.value, e.payerShare.se)}: ${int(e.payerShare.payers)} payers of ${int(e.payerShare.viewers)} viewers`,
    `spend a day of ${int(s.payers)} payers: ${s.chosen} chosen by AIC (Δ ${s.deltaAic.toFixed(1)})`,
    `  pareto:    minCents ${s.pareto.minCents.toFixed(1)}, alpha ${withSe(s.pareto.alpha, 4)}; log-likelihood ${s.pareto.logLik.toFixed(1)}, AIC ${s.pareto.aic.toFixed(1)}, KS ${s.pareto.ks.toFixed(3)}`,
    `  lognormal: median ${withSe(s.lognormal.medianCents, 1)} cents, sigma ${withSe(s.lognormal.sigma, 4)}; log-likelihood ${s.lognormal.logLik.toFixed(1)}, AIC ${s.lognormal.aic.toFixed(1)}, KS ${s.lognormal.ks.toFixed(3)}`,
    '  quantile   observed     pareto  lognormal  (cents a day)',
    ...s.quantiles.map(
      (q) =>
        `  ${`${(100 * q.p).toFixed(0)} %`.padStart(8)} ${q.observed.toFixed(0).padStart(10)} ${q.pareto.toFixed(0).padStart(10)} ${q.lognormal.toFixed(0).padStart(10)}`,
    ),
    `channels (payers): ${e.channels.map((c) => `${c.id} ${pct(c.share.value, c.share.se)}`).join(', ')}`,
    ...e.packs.map(
      (c) =>
        `packs on ${c.channel}: ${c.packs.map((p) => `${p.id} ${pct(p.share.value, p.share.se)}`).join(', ')}`,
    ),
    `gifts: ${e.gifts.map((g) => `${g.id} ${pct(g.share.value, g.share.se)}`).join(', ')}`,
    `daily rhythm (UTC): peak ${withSe(e.rhythm.peakHour, 2)} h, amplitude ${withSe(e.rhythm.amplitude, 4)}`,
  ];
  return `${lines.join('\n')}\n`;
}
