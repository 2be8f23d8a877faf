export {
  binomial,
  binomialAt,
  binomialWith,
  exponential,
  gapSeconds,
  lognormal,
  pareto,
  pickCumulative,
  standardNormal,
} from './draws.ts';
export {
  createStreams,
  FAMILIES,
  type Family,
  type Resumable,
  type Rng,
  resume,
  type Streams,
  streamKey,
} from './streams.ts';
