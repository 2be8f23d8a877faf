/**
 * Who is on the platform and how it grows: viewers, creators and the markets they meet in. The rule is
 * per capita, so that changing `population.viewers` alone keeps what a viewer sees — and so every
 * per-viewer KPI — the same: creators grow with viewers (`viewersPerCreator`), and a viewer picks streams
 * among the creators of its own market, whose size stays fixed (`creatorsPerMarket`); a bigger platform
 * has more markets, not ever bigger stars. (Zipf popularity over n creators gives the top one a share
 * 1/H_n of the audience, which grows without bound with n: one market of 10,000 creators concentrates
 * viewers in fewer, bigger streams than ten of 1,000.)
 *
 * `creators` given fixes the count (viewersPerCreator is then not used) and, unless creatorsPerMarket is
 * also given, makes one market: the model before markets existed, for the same seed.
 */
import { z } from 'zod';
import { limits } from '../../common/limits.ts';

/** Viewers per creator, and creators per market, unless the scenario says otherwise. */
export const POPULATION_DEFAULTS = { viewersPerCreator: 100, creatorsPerMarket: 1_000 } as const;

/** A number of creators: a whole one, within the creators' limit (the count, or a market's). */
const creatorsSchema = z.number().int().min(1).max(limits.creatorsMax);

export const populationSchema = z
  .strictObject({
    viewers: z.number().int().min(1).max(limits.viewersMax).default(100_000),
    viewersPerCreator: z
      .number()
      .min(1)
      .max(limits.viewersMax)
      .default(POPULATION_DEFAULTS.viewersPerCreator)
      .describe(
        'creators = viewers ÷ this, rounded, at least 1: creators grow with viewers (not used when creators is given)',
      ),
    creators: creatorsSchema
      .optional()
      .describe(
        'a fixed number of creators instead of viewers ÷ viewersPerCreator; unless creatorsPerMarket is given they form one market',
      ),
    creatorsPerMarket: creatorsSchema
      .optional()
      .describe(
        `a viewer picks live streams among the creators of its market; markets = creators ÷ this, rounded, at least 1 (default ${POPULATION_DEFAULTS.creatorsPerMarket.toLocaleString('en-US')}; one market when creators is given)`,
      ),
    creatorPopularityZipf: z
      .number()
      .min(0)
      .max(3)
      .default(1)
      .describe(
        'audience share of the creator ranked k in its market is proportional to 1/k^s; 0 gives every creator the same audience',
      ),
    nonPayers: z
      .enum(['agents', 'crowd'])
      .default('agents')
      .describe(
        'how viewers who can never pay are simulated: agents = one each (the model before the crowd); crowd = counted per market and per stream (sessions as counting processes, the same rates), so time and memory grow with payers, not viewers. Payers, and viewers a price could convert, are agents either way; arrivals no price converts join the crowd, counted by the hour they arrived in for cohorts.csv',
      ),
  })
  .superRefine((p, ctx) => {
    const creators = creatorCount(p);
    // Viewers over their own limit are said at population.viewers: not again as too few per creator.
    if (creators > limits.creatorsMax && p.viewers <= limits.viewersMax) {
      ctx.addIssue({
        code: 'custom',
        path: ['viewersPerCreator'],
        message: `at least ${Math.ceil(p.viewers / (limits.creatorsMax + 0.5))} for ${p.viewers.toLocaleString('en-US')} viewers (at most ${limits.creatorsMax.toLocaleString('en-US')} creators; this gives ${creators.toLocaleString('en-US')})`,
      });
    }
  })
  .transform(resolvePopulation);

export type PopulationSpec = z.input<typeof populationSchema>;
type PopulationFields = Parameters<typeof resolvePopulation>[0];

/** The population as the engine uses it: counts resolved, and the fields as the scenario gave them. */
export interface Population {
  viewers: number;
  creators: number;
  /** Markets the viewers and creators are split into, evenly (sizes differ by at most one). */
  markets: number;
  creatorPopularityZipf: number;
  /** Viewers who can never pay are counted, not simulated one by one (population.nonPayers: crowd). */
  crowd: boolean;
  /** The fields as the scenario gave them (defaults filled): what `validate` prints back. */
  given: PopulationFields;
}

function creatorCount(p: { viewers: number; viewersPerCreator: number; creators?: number }): number {
  return p.creators ?? Math.max(1, Math.round(p.viewers / p.viewersPerCreator));
}

/** The scaling rule: creators from viewers unless fixed, markets from creators. */
export function resolvePopulation(p: {
  viewers: number;
  viewersPerCreator: number;
  creators?: number;
  creatorsPerMarket?: number;
  creatorPopularityZipf: number;
  nonPayers?: 'agents' | 'crowd';
}): Population {
  const creators = creatorCount(p);
  const perMarket =
    p.creatorsPerMarket ?? (p.creators === undefined ? POPULATION_DEFAULTS.creatorsPerMarket : creators);
  return {
    viewers: p.viewers,
    creators,
    markets: Math.max(1, Math.round(creators / perMarket)),
    creatorPopularityZipf: p.creatorPopularityZipf,
    crowd: p.nonPayers === 'crowd',
    given: { ...p },
  };
}

/** What the population resolves to, in words: `validate` prints it (and `run`'s report its scenario). */
export function populationNote(p: Population): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const creators =
    p.given.creators === undefined
      ? `${n(p.creators)} creators (viewers ÷ viewersPerCreator)`
      : `${n(p.creators)} creators (fixed: viewersPerCreator not used)`;
  const markets =
    p.markets === 1
      ? 'in one market'
      : `in ${n(p.markets)} markets of about ${n(Math.round(p.creators / p.markets))} creators and ${n(Math.round(p.viewers / p.markets))} viewers`;
  const crowd = p.crowd ? '; viewers who can never pay counted as a crowd' : '';
  return `${n(p.viewers)} viewers, ${creators} ${markets}${crowd}`;
}
