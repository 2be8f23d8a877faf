export { aggregateSweep, type PointSummary, type SweepResult, type TornadoRow } from './aggregate.ts';
export {
  DESIGNS,
  type Design,
  gridPoints,
  lhsPoints,
  lhsRng,
  type SweepPoint,
  tornadoPoints,
} from './design.ts';
export { type PathKind, pathKind, roundForPath } from './path-kind.ts';
export {
  DEFAULT_KPI,
  planSweep,
  STREAMS_MODES,
  type StreamsMode,
  type SweepAxis,
  type SweepPlan,
  type SweepPlanOptions,
  type SweepSpec,
} from './plan.ts';
export { itemCount, type ReplicationKpis, runSweepItems, sweepItem, workItem } from './run-items.ts';
export { mergeSweepShards, sweepShardManifest } from './shard-io.ts';
export { type Axis, parseVaries, parseVary, type Scalar } from './vary.ts';
