import fc from 'fast-check';

// One place for property-test settings. FC_SEED replays a reported failure; FC_RUNS widens a search.
const seed = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);
fc.configureGlobal({
  numRuns: Number(process.env.FC_RUNS ?? 100),
  ...(seed === undefined ? {} : { seed }),
  verbose: 1,
});
