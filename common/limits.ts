/**
 * Every bound in one place, as tables by area: the project-wide limits, the model's, the operation log's,
 * the reference target's, the load side's (plans, k6, Kubernetes, audit, replay) and the reports'. Loops,
 * queues, request bodies, populations, flags and files are bounded by these; the CLI's flag ranges come
 * from here too. The relations between them are asserted at load, so that a change to one cannot
 * silently break another.
 */
import { assert } from './assert.ts';

/** Basis points: 10,000 bp = 100 %. Shares and fees are whole basis points so that money stays integer. */
export const BP = 10_000;
/** Diamond value is stored in milli-cents (0.5 ¢ = 500) so that fractional-cent diamonds stay integer. */
export const MILLI = 1_000;
/** Seconds in a day: durations, rhythms and per-day rates all count days of this length. */
export const DAY_SECONDS = 86_400;

export const limits = {
  viewersMax: 50_000_000,
  creatorsMax: 5_000_000,
  channelsMax: 8,
  /** Ids of channels, packs and gifts. */
  economyIdCharsMax: 40,
  packsPerChannelMax: 32,
  giftsMax: 256,
  giftCountMax: 10_000,
  packPriceCentsMax: 1_000_000,
  paymentFeeFixedCentsMax: 1_000,
  packCoinsMax: 10_000_000,
  giftCoinsMax: 1_000_000,
  diamondValueMilliCentsMax: 100_000,
  withdrawalDiamondsMax: 10_000_000_000,
  replicationsMax: 10_000,
  /**
   * A crowd with arrivals counts its members by market × hour of arrival (sim/engine/crowd.ts), about
   * 100 bytes a class allocated at the start: this many classes is about 200 MB.
   */
  crowdClassesMax: 2_000_000,
  workersMax: 256,
  /** A run lasts at most a (leap) year. */
  durationDaysMax: 366,
  durationSecondsMax: 366 * DAY_SECONDS,
  /** A gift's display name. */
  giftNameCharsMax: 60,
  journalPageMax: 10_000,
  requestBodyBytesMax: 16 * 1024,
  violationsKeptMax: 1_000,
  /** Wire strings: an operation's id (an idempotency key), an account name, postings in one entry. */
  opIdCharsMax: 256,
  accountCharsMax: 256,
  postingsPerEntryMax: 64,
  sweepPointsMax: 100_000,
  /** Seeds are 32-bit (scenario files and --seed). */
  seedMax: 2 ** 32 - 1,
  /**
   * Aliases a YAML file or flag value may follow, counting those inside what each expands to: enough to
   * share packs between channels, far too few for an alias bomb (the yaml library's default too).
   */
  yamlAliasesMax: 100,
  /** Problems a message lists (a broken file can raise hundreds); the rest are counted, not listed. */
  problemsShownMax: 20,
  /**
   * Work per item (viewers × simulated days) below which runs default to one worker: extra threads then
   * cost more in start-up and JIT warm-up than they gain (measured: 100,000 viewers × 1 day, 2 workers
   * 0.95–1.0× one; 1,000,000, about 1.5×; `npm run bench`).
   */
  threadViewerDaysMin: 250_000,
  /** `--shard i/n`: more shards than this is a typo, not a cluster. */
  shardsMax: 100_000,
  /** `run --precision`: the first batch unless --replications says otherwise (a CI from fewer is too noisy to stop on). */
  precisionStartDefault: 8,
  /** `run --precision`: the cap unless --max-replications says otherwise. */
  precisionCapDefault: 500,
  /**
   * `calibrate --fit`: paths fitted at once. The response surface has (n + 1)(n + 2) / 2 coefficients and
   * wants two candidates each before it is fitted: 12 paths already need 182 candidates.
   */
  fitPathsMax: 12,
  /** `fit-data`: rows of the event exports read at once (they are held in memory). */
  exportRowsMax: 20_000_000,
  /** `fit-data --days`: an export covering more than ten years is a typo. */
  exportDaysMax: 3_660,
  /** `fit-data`: fewer paying viewers than this give no spend distribution worth fitting. */
  fitPayersMin: 10,
  /** The synthetic export draws Poisson gifts by multiplying uniforms: a few a day, not thousands. */
  syntheticGiftsPerDayMax: 200,
  /** Sweeps of the Jacobi eigenvalue method on a calibration's covariance (n ≤ fitPathsMax converges in < 20). */
  jacobiSweepsMax: 64,
} as const;

/** The agent model and engine: each one sizes a typed array or bounds a loop. */
export const modelLimits = {
  /** Budgets and spend per viewer live in Int32Arrays. */
  budgetCentsMax: 2 ** 31 - 1,
  /** Packs one viewer may buy to afford one gift (the rule buys the largest pack until one covers). */
  packsPerGiftMax: 64,
  /** Width of the timing wheel in seconds (a power of two); later events wait for the next turn. */
  wheelSecondsMax: 2 ** 17,
  /** viewers.csv lists every viewer up to this population, segments above it. */
  viewerRowsMax: 10_000,
  /** Audience bins are powers of two: [1, 2), [2, 4), … up to 2^31. */
  audienceBins: 32,
  /** Timeseries rows per replication. */
  intervalsMax: 100_000,
  /** Events per scenario, of every kind (the schema's bound): audience spikes happen in every market (spikesMax). */
  eventsMax: 100,
  /** Spikes a run holds: every event happens in every market, so events × markets. */
  spikesMax: 10_000,
  /** A stream never restarts within this many seconds of its end, so its last viewers have left. */
  restartGapSeconds: 2,
  /** A wallet saves up for its channel's cheapest pack for at most this long (a budget of 1 ¢ a day). */
  walletSpanSecondsMax: limits.durationSecondsMax,
  /** An audience curve's multiplier: one extreme stream cannot swamp a run. */
  audienceMultiplierMax: 100,
} as const;

/**
 * `giftlab run --journal`. A journal keeps every entry in memory and on disk, and replay sends each
 * operation as one HTTP request (about a thousand a second against the reference server), so the
 * operation log is meant for small populations: a cross-check, not a load test.
 */
export const oplogLimits = {
  /** `population.viewers` above this is refused (exit 2): replay maps each viewer onto a target user. */
  viewersMax: 100_000,
  /** `population.creators` above this is refused. */
  creatorsMax: 100_000,
  /** Operations above this are refused after the run: the log would take hours to replay. */
  opsMax: 2_000_000,
  /** Operations above this are written, with a warning on stderr that replay will take minutes. */
  opsWarn: 100_000,
} as const;

/** The reference target: every queue and page the server keeps is bounded by one of these. */
export const targetLimits = {
  /** Request bodies larger than this are answered 413 before they are parsed. */
  bodyBytesMax: limits.requestBodyBytesMax,
  /** Journal and balance pages. */
  pageMax: limits.journalPageMax,
  pageDefault: 1_000,
  /** Writes committed together in one transaction (one fsync); a fuller queue is flushed at once. */
  commitBatchMax: 1_024,
  /** Idempotency keys: printable ASCII, at most this long. */
  idempotencyKeyCharsMax: 128,
  /** Bearer tokens in a users file (the server's own are about 60 characters). */
  tokenCharsMax: 512,
  /** Tokens whose signature was checked and kept, so that the HMAC is computed once per token. */
  verifiedTokensMax: 100_000,
  /** Viewer and creator ids are 0 ≤ id < this (the in-memory ledger's bound too). */
  userIdMax: 2 ** 28,
  /** A principal's name in a scoped opId (`creator:268435455`: asserted below against userIdMax). */
  principalCharsMax: 17,
  /** `--seed-users n`. */
  seedUsersMax: 1_000_000,
  /** Stream or video id a gift is sent on. */
  contextIdCharsMax: 128,
  /** Writes answered on the `slow` fault's deadline while they go on to commit. */
  slowLatencyMsMin: 20,
  slowLatencyMsMax: 200,
  slowDeadlineMs: 100,
} as const;

/** The load side: workload plans, k6 runs, Kubernetes manifests, the audit's files, replay. */
export const loadLimits = {
  /** `plan`/`load --replications`: replications a plan is observed over. */
  planReplicationsMax: 64,
  /** Operations one replication may note (a bound on memory: 16 bytes an operation). */
  planOperationsMax: 50_000_000,
  /** soak: at most this many ramping stages (neighbouring intervals are merged beyond). */
  soakStagesMax: 200,
  /** VUs sized for a rate: at least this many. */
  vusMin: 2,
  /** `--vus`, and the VUs of a profile whose users do not bound them (race). */
  vusMax: 100_000,
  /** `--parallelism` of the k6-operator's TestRun. */
  k8sParallelismMax: 1_000,
  /** A ConfigMap holds at most 1 MiB. */
  configMapBytesMax: 1024 * 1024,
  /**
   * Data per Secret (users) or ConfigMap (streams) part: well under the 1 MiB either may hold, so that
   * a Secret (data base64-encoded, 4/3 as large) stays under etcd's 1.5 MiB request limit as well.
   */
  k8sPartBytesMax: 768 * 1024,
  /** Stream items of a distributed run: they travel in ConfigMaps (about 150 bytes an item). */
  k8sStreamItemsMax: 50_000,
  /**
   * Items in all the economy profiles' precomputed request streams of a run (memory: about 150 bytes
   * an item in k6); past it the streams are shorter and each VU plays its own again from the start.
   */
  streamItemsMax: 400_000,
  /** Object names: the operator's Job names `<name>-initializer`, `<name>-starter` must stay labels. */
  k8sNameLengthMax: 40,
  /** A journal given as one JSON array or page is parsed whole up to this; larger ones as JSON lines. */
  journalWholeFileBytesMax: 512 * 1024 * 1024,
  /** `load --duration`: a week of load is a soak; longer is a typo. */
  durationSecondsMax: 7 * DAY_SECONDS,
  /** `replay --concurrency` and `--limit`; `--rate` of replay (operations/s) and load (arrivals/s). */
  replayConcurrencyMax: 256,
  replayOpsMax: 100_000_000,
  ratePerSecondMax: 1_000_000,
  /** An answer replay's HTTP client reads (the reference API's are a few hundred bytes). */
  replayAnswerBytesMax: 1024 * 1024,
} as const;

/** What a report shows in the page (the CSV files have everything). */
export const reportLimits = {
  /** Rows of a sweep's points table. */
  sweepPointRowsMax: 200,
  /** Points a sweep's path chart draws (the first ones): SVG size and render time stay bounded. */
  sweepChartPointsMax: 1_000,
  /** Above this many replications, a fan chart leaves individual paths out (the bands say it all). */
  fanPathsDrawnMax: 30,
} as const;

// A single gift's coins times the largest share must stay exact in a double.
assert(limits.giftCoinsMax * limits.giftCountMax * BP < Number.MAX_SAFE_INTEGER, 'gift value × BP overflows');
assert(limits.packCoinsMax * limits.packsPerChannelMax < 2 ** 31, 'pack coins overflow int32');
assert(
  limits.withdrawalDiamondsMax * limits.diamondValueMilliCentsMax < Number.MAX_SAFE_INTEGER,
  'withdrawal overflow',
);
assert(
  limits.precisionStartDefault >= 2 && limits.precisionCapDefault <= limits.replicationsMax,
  'precision defaults within the replication bounds',
);
assert(limits.journalPageMax >= 100, 'journal pages must hold at least 100 entries');
assert(
  limits.viewersMax + limits.creatorsMax * 2 + modelLimits.spikesMax * 2 < 2 ** 31,
  'event slots overflow int32',
);
assert(limits.durationSecondsMax < 2 ** 32 - modelLimits.wheelSecondsMax, 'times overflow uint32');
assert(limits.viewersMax < 2 ** 31, 'audience counts overflow int32');
// Wallets count from a second in Int32, from a span before the run's start (and its opening days, see
// sim/engine/opening.ts) to its end.
assert(
  modelLimits.walletSpanSecondsMax + limits.durationSecondsMax < 2 ** 31,
  'wallet seconds overflow int32',
);
assert(
  (modelLimits.wheelSecondsMax & (modelLimits.wheelSecondsMax - 1)) === 0,
  'wheel width is a power of two',
);
assert(oplogLimits.viewersMax <= limits.viewersMax, 'journal viewers within the population limit');
assert(oplogLimits.creatorsMax <= limits.creatorsMax, 'journal creators within the population limit');
assert(oplogLimits.opsWarn < oplogLimits.opsMax, 'the warning comes before the refusal');
assert(targetLimits.pageDefault <= targetLimits.pageMax, 'default page larger than the largest page');
assert(targetLimits.commitBatchMax >= 1, 'a commit batch holds at least one write');
assert(targetLimits.userIdMax <= limits.viewersMax * 8, 'user ids bounded near the population limits');
assert(
  targetLimits.slowLatencyMsMin < targetLimits.slowDeadlineMs &&
    targetLimits.slowDeadlineMs < targetLimits.slowLatencyMsMax,
  'the slow fault must answer some writes in time and miss the deadline on others',
);
assert(targetLimits.idempotencyKeyCharsMax <= limits.opIdCharsMax, 'a key becomes an entry opId');
assert(oplogLimits.viewersMax <= targetLimits.seedUsersMax, 'a replayed run fits a seeded target');
assert(targetLimits.seedUsersMax < targetLimits.userIdMax, 'seeded ids are valid user ids');
assert(loadLimits.planReplicationsMax <= limits.replicationsMax, 'a plan observes replications of a run');
assert(loadLimits.vusMin <= loadLimits.vusMax, 'sized VUs within --vus');
assert(
  loadLimits.k8sPartBytesMax * (4 / 3) <= 1.5 * 1024 * 1024,
  'a Secret base64-encoded fits an etcd request',
);
assert(limits.seedMax < 2 ** 32, 'seeds are 32-bit');
assert(
  `creator:${targetLimits.userIdMax - 1}`.length <= targetLimits.principalCharsMax,
  'a principal name fits principalCharsMax',
);
