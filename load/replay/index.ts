export { type Answer, REFUSAL_CODES, ReplayClient } from './client.ts';
export {
  type AccountDifference,
  type ChannelCash,
  type Comparison,
  channelCash,
  compareWithTarget,
} from './compare.ts';
export { type Dispatched, type DispatchOptions, dispatch } from './dispatch.ts';
export { checkTargetEconomy, economyDifferences } from './economy-diff.ts';
export { type ReplayOptions, type ReplayReport, type ReplayStart, runReplay } from './replay.ts';
export { renderReplay, renderStart } from './report.ts';
export { expectedLedger, locateOpsFile, type RunLog, readRunLog } from './run-log.ts';
export { accountMapper, checkEnoughUsers, usersNeeded } from './users.ts';
