export { checkFolderTarget, writeFolderAtomically } from './atomic-dir.ts';
export { canonicalJson, firstDifference, hashOf } from './canonical.ts';
export {
  type LoadedShard,
  MANIFEST_FILE,
  RESULTS_FILE,
  type ResultLine,
  readShardFolder,
  SHARD_FORMAT,
  SHARD_VERSION,
  type ShardKind,
  type ShardManifest,
  writeShardFolder,
} from './folder.ts';
export { checkShardGroup, joinShards } from './group.ts';
export {
  mergeRunShards,
  type RunResultLine,
  type RunShardSpec,
  runShardManifest,
  runShardReplications,
} from './run-shards.ts';
export {
  checkShardCount,
  parseShard,
  SHARD_SPLIT,
  type Shard,
  shardItems,
  shardLabel,
} from './shard.ts';
