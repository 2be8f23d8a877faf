export { SCHEMA_FILE, scenarioJsonSchema } from './json-schema.ts';
export { deepMerge, type LoadOptions, loadScenarioFile, validateScenario } from './load.ts';
export { applySets, parseSet, type SetOverride } from './overrides.ts';
export type { Scenario, ScenarioInput, ScenarioSpec } from './schema/scenario.ts';
export { scenarioSchema } from './schema/scenario.ts';
