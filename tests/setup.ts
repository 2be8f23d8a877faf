import fc from 'fast-check';

// One place for property-test settings. FC_SEED replays a reported failure; FC_RUNS widens a search.
function intFromEnv(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value))
    throw new Error(`${name}: expected an integer, found ${JSON.stringify(text)}`);
  return value;
}

const seed = intFromEnv('FC_SEED');
fc.configureGlobal({
  numRuns: intFromEnv('FC_RUNS') ?? 100,
  ...(seed === undefined ? {} : { seed }),
  verbose: 1,
});
