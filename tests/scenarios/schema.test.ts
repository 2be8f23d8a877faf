/** scenario.schema.json (for editors) is generated from the zod schema and must not drift from it. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SCHEMA_FILE, scenarioJsonSchema } from '../../scenarios/json-schema.ts';

describe('scenario.schema.json', () => {
  it('is what `npm run schema` generates from the zod schema today', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(scenarioJsonSchema());
  });

  it('describes the behavioural fields with their defaults', () => {
    const schema = JSON.parse(scenarioJsonSchema());
    const viewers = schema.properties.viewers.properties;
    expect(viewers.giftsPerHour.default).toBe(0.8);
    expect(viewers.budget.properties.distribution.enum).toEqual(['pareto', 'lognormal', 'fixed']);
    expect(schema.properties.audienceEffect.properties.curve.enum).toContain('inverted-u');
    expect(schema.properties.creators.properties.videoGiftRate.default).toBe(0.1);
  });
});
