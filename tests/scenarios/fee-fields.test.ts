/**
 * A pack whose fees exceed its price is refused with the fields to lower, named from the fee table
 * (FEE_FIELDS beside PURCHASE_FEES): a new fee kind's fields join the message without an edit to it
 * (a newcomer's review added a fee and the message still named the two old ones).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../common/input-error.ts';
import { loadScenarioFile } from '../../scenarios/load.ts';
import { FEE_FIELDS } from '../../scenarios/schema/economy.ts';
import { PURCHASE_FEES } from '../../sim/economy/rules.ts';

describe('the fee fields a refused price names', () => {
  it('names every fee kind’s fields, in the table’s order, and only fields a channel has', () => {
    let problem: InputError | undefined;
    try {
      loadScenarioFile('scenarios/baseline.yaml', {
        sets: ['pricing.channels.app.storeFee=0.9', 'pricing.channels.app.paymentFeeFixedCents=50'],
      });
    } catch (error) {
      problem = error as InputError;
    }
    expect(problem).toBeInstanceOf(InputError);
    const first = problem!.problems.find((p) => p.field === 'pricing.channels.app.packs.0.priceCents');
    // 99 ¢: a store fee of 89 ¢ (90 %) and a payment fee of 0 % + 50 ¢, as set, together over the price.
    expect(first?.expected).toBe(
      'a price that covers its fees (store fee 89 ¢ + payment fee 50 ¢ = 139 ¢ on 99 ¢): lower storeFee, paymentFee or paymentFeeFixedCents of app, or raise the price',
    );
    const fields = PURCHASE_FEES.flatMap((f) => FEE_FIELDS[f.family]);
    expect(fields).toEqual(['storeFee', 'paymentFee', 'paymentFeeFixedCents']);
    const schema = readFileSync('scenarios/scenario.schema.json', 'utf8');
    for (const field of fields) expect(schema, field).toContain(`"${field}":`);
  });
});
