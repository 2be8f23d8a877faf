/**
 * Writes a scenario file: a YAML mapping in the scenario format, with a header comment and a comment
 * beside chosen values (why a value is what it is: fitted from data, with its range). One writer for the
 * scenario files giftlab produces — `validate`'s output, `calibrate`'s calibrated.yaml and `fit-data`'s
 * fitted.yaml — so that what it writes always reads back through `loadScenarioFile`.
 */
import { Document, isNode } from 'yaml';
import { assert } from '../common/assert.ts';
import type { Scenario } from './schema/scenario.ts';

/**
 * The scenario as a file that reads back the same (every default filled): the population as the
 * scenario gave it (creators written out would stop them growing with viewers), no derived economy.
 */
export function scenarioInput(scenario: Scenario): Record<string, unknown> {
  // The overrides are in the values already; a file says what it holds, not how it was made.
  const { economy: _economy, overrides: _overrides, ...rest } = scenario;
  return Object.fromEntries(
    Object.entries(rest).map(([key, value]) => [
      key,
      key === 'population' ? scenario.population.given : value,
    ]),
  );
}

export interface PathComment {
  /** Dotted path, list items by index: `viewers.payerShare`, `gifts.3.weight`. */
  path: string;
  comment: string;
}

export interface ScenarioYamlOptions {
  /** Lines of the comment at the top of the file. */
  header: readonly string[];
  comments?: readonly PathComment[];
}

export function scenarioYaml(value: Record<string, unknown>, options: ScenarioYamlOptions): string {
  const doc = new Document(value);
  for (const { path, comment } of options.comments ?? []) {
    const keys = path.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k));
    const node = doc.getIn(keys, true);
    assert(isNode(node), `a value at ${path} to comment`);
    node.comment = ` ${comment}`;
  }
  doc.commentBefore = options.header.map((line) => ` ${line}`).join('\n');
  return doc.toString({ lineWidth: 0 });
}
