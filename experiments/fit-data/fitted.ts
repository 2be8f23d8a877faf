/**
 * The scenario `fit-data` writes: `extends:` the given one and overrides only what the export
 * measured, each value commented with its estimate and standard error —
 *
 * - viewers.payerShare (with `--viewers`), to 4 decimals (whole basis points);
 * - viewers.budget: the chosen family's parameters; capCents raised to the largest spend if it was below;
 * - viewers.channels: every priced channel's share of payers (0 for one nobody bought on);
 * - viewers.diurnal: peak hour and amplitude;
 * - gifts: the whole list (a list replaces the parent's), each gift's weight its share of gifts sent in
 *   percent (0 for one never sent); a gift the scenario lacks is added with the coins the export shows.
 *
 * The pack mix has no scenario field: it goes into the header comment and summary.json. The model tilts
 * the gift mix (viewers.bigGiftTilt, budgetPacing) and converts payers within a day: the written weights
 * and payer share are what the export shows, not yet what a run will — `giftlab calibrate` closes that.
 */
import { modelLimits } from '../../common/limits.ts';
import type { PathComment } from '../../scenarios/scenario-yaml.ts';
import type { Scenario } from '../../scenarios/schema/scenario.ts';
import type { Estimate, FitDataEstimates } from './estimate.ts';

export interface FittedScenario {
  /** The overrides, in file order after name, description and extends. */
  value: Record<string, unknown>;
  comments: PathComment[];
  /** Things the scenario could not take, said on stderr and in the header. */
  notes: string[];
}

const round = (x: number, decimals: number) => Number(x.toFixed(decimals));

/** `0.0512 ± 0.0034 (se)` with the precision the value is written at. */
export function withSe(e: Estimate, decimals: number): string {
  return `${e.value.toFixed(decimals)} (se ${e.se.toFixed(decimals)})`;
}

export function fittedScenario(base: Scenario, est: FitDataEstimates): FittedScenario {
  const notes: string[] = [];
  const comments: PathComment[] = [];
  const viewers: Record<string, unknown> = {};
  if (est.payerShare !== undefined) {
    const p = est.payerShare;
    viewers.payerShare = Math.max(p.payers > 0 ? 0.0001 : 0, round(p.value, 4));
    comments.push({
      path: 'viewers.payerShare',
      comment: `fitted: ${withSe(p, 4)}, ${p.payers.toLocaleString('en-US')} payers of ${p.viewers.toLocaleString('en-US')} viewers`,
    });
  } else notes.push('no --viewers: the payer share is the scenario’s, not fitted');

  const s = est.spend;
  const cap = Math.max(
    base.viewers.budget.capCents,
    Math.min(modelLimits.budgetCentsMax, Math.ceil(s.maxCents)),
  );
  const versus = `chosen over ${s.chosen === 'pareto' ? 'lognormal' : 'pareto'} by AIC (Δ ${s.deltaAic.toFixed(1)}), ${s.payers.toLocaleString('en-US')} payers`;
  if (s.chosen === 'pareto') {
    const alpha = s.pareto.alpha;
    const written = Math.min(5, Math.max(1.0001, round(alpha.value, 4)));
    if (written !== round(alpha.value, 4))
      notes.push(
        `the Pareto α ${alpha.value.toFixed(4)} is outside the model's (1, 5]: written as ${written}`,
      );
    viewers.budget = {
      distribution: 'pareto',
      minCents: Math.max(1, Math.round(s.pareto.minCents)),
      paretoAlpha: written,
      capCents: cap,
    };
    comments.push(
      { path: 'viewers.budget.distribution', comment: versus },
      { path: 'viewers.budget.minCents', comment: 'fitted: the least spend a day' },
      { path: 'viewers.budget.paretoAlpha', comment: `fitted: ${withSe(alpha, 4)}` },
    );
  } else {
    const ln = s.lognormal;
    const sigma = Math.min(5, round(ln.sigma.value, 4));
    viewers.budget = {
      distribution: 'lognormal',
      minCents: Math.max(1, Math.floor(s.minCents)),
      medianCents: Math.max(1, Math.round(ln.medianCents.value)),
      lognormalSigma: sigma,
      capCents: cap,
    };
    comments.push(
      { path: 'viewers.budget.distribution', comment: versus },
      { path: 'viewers.budget.minCents', comment: 'the least spend a day: the model floors draws here' },
      { path: 'viewers.budget.medianCents', comment: `fitted: ${withSe(ln.medianCents, 1)}` },
      { path: 'viewers.budget.lognormalSigma', comment: `fitted: ${withSe(ln.sigma, 4)}` },
    );
  }
  if (cap > base.viewers.budget.capCents)
    comments.push({ path: 'viewers.budget.capCents', comment: 'raised to the largest spend a day' });

  const priced = Object.keys(base.pricing.channels);
  const unpriced = est.channels.filter((c) => !priced.includes(c.id));
  for (const c of unpriced)
    notes.push(`channel ${c.id} (${c.count} payers) is not in the scenario's pricing.channels: left out`);
  if (unpriced.length < est.channels.length) {
    viewers.channels = Object.fromEntries(
      priced.map((id) => [id, round(est.channels.find((c) => c.id === id)?.share.value ?? 0, 4)]),
    );
    for (const c of est.channels.filter((x) => priced.includes(x.id)))
      comments.push({ path: `viewers.channels.${c.id}`, comment: `fitted: ${withSe(c.share, 4)} of payers` });
  }

  const r = est.rhythm;
  viewers.diurnal = { peakHour: round(r.peakHour.value, 2) % 24, amplitude: round(r.amplitude.value, 4) };
  comments.push(
    {
      path: 'viewers.diurnal.peakHour',
      comment: `fitted (UTC): ${withSe(r.peakHour, 2)}, ${r.events.toLocaleString('en-US')} events`,
    },
    { path: 'viewers.diurnal.amplitude', comment: `fitted: ${withSe(r.amplitude, 4)}` },
  );

  const value: Record<string, unknown> = { viewers };
  if (est.gifts.length > 0) {
    const known = base.gifts.map((g) => {
      const seen = est.gifts.find((e) => e.id === g.id);
      if (seen !== undefined && seen.coins !== g.coins)
        notes.push(
          `gift ${g.id} costs ${seen.coins} coins in the export, ${g.coins} in the scenario: kept ${g.coins}`,
        );
      return { ...g, weight: round(100 * (seen?.share.value ?? 0), 4) };
    });
    const added = est.gifts
      .filter((e) => !base.gifts.some((g) => g.id === e.id))
      .map((e) => ({ id: e.id, coins: e.coins, weight: round(100 * e.share.value, 4) }));
    for (const e of est.gifts.filter((x) => x.coinsVary))
      notes.push(
        `gift ${e.id} has more than one price in coins in the export: took the commonest, ${e.coins}`,
      );
    value.gifts = [...known, ...added];
    (value.gifts as { id: string }[]).forEach((g, i) => {
      const seen = est.gifts.find((e) => e.id === g.id);
      comments.push({
        path: `gifts.${i}.weight`,
        comment:
          seen === undefined
            ? 'never sent in the export'
            : `fitted: ${withSe(seen.share, 4)} of gifts${i >= known.length ? ' (not in the scenario: added)' : ''}`,
      });
    });
  }
  return { value, comments, notes };
}

/** The header comment's lines about the pack mix, per channel. */
export function packMixLines(est: FitDataEstimates): string[] {
  return est.packs.map(
    (c) =>
      `  ${c.channel}: ${c.packs.map((p) => `${p.id} ${(100 * p.share.value).toFixed(1)} % (median paid ${p.medianPriceCents} ¢)`).join(', ')}`,
  );
}
