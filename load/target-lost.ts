/**
 * A target that answered before a run and stopped answering during it (a crash under load, a server
 * failing every write): the run fails — exit 99 from `load` and `replay` — and it is not bad input.
 */
export class TargetLostError extends Error {
  override name = 'TargetLostError';
}
