/**
 * packs.csv, gifts.csv and the report's "net revenue per 1,000 coins by channel and pack" table, from
 * hand-built runs: the columns (one per fee of the fee table), the rows in order, the means over
 * replications, and a channel's figure weighted by the coins its packs sold.
 */
import { describe, expect, it } from 'vitest';
import type { GiftRow, ReplicationResult, RunResult } from '../../experiments/result.ts';
import { packRowsOf } from '../../experiments/rows.ts';
import { giftsTable, packsTable } from '../../reports/csv/tables.ts';
import { PACKS_ID, packMeans, packsSection } from '../../reports/html/packs-section.ts';
import { buildHtmlReport } from '../../reports/html/report.ts';
import { assumptionsSection } from '../../reports/html/sections.ts';
import { loadScenarioFile } from '../../scenarios/load.ts';
import { testEconomy } from '../support/economy.ts';
import { baselineScenario, buildRunFixture } from '../support/run-fixture.ts';

/** Purchases per replication by `channel/pack`; the rest of a replication is left empty. */
function runOf(purchases: Record<string, number>[], gifts: GiftRow[][] = []): RunResult {
  const replications = purchases.map(
    (bought, replication) =>
      ({
        replication,
        packs: packRowsOf(testEconomy, (c, p) => {
          const channel = testEconomy.channels[c];
          return bought[`${channel.id}/${channel.packs[p].id}`] ?? 0;
        }),
        gifts: gifts[replication] ?? [],
      }) as ReplicationResult,
  );
  return { replications } as RunResult;
}

const rowsOf = (table: { rows: () => Iterable<(string | number)[]> }) => [...table.rows()];

describe('packs.csv', () => {
  it('has a column per fee of the fee table and a row per replication × pack, in the economy order', () => {
    const table = packsTable(runOf([{ 'web/c70': 3 }, { 'app/c350': 2 }]));
    expect(table.header).toEqual([
      'replication',
      'channel',
      'pack',
      'coinsPerPack',
      'priceCents',
      'purchases',
      'coinsSold',
      'grossCents',
      'storeFeeCents',
      'paymentFeeCents',
      'netRevenueCents',
      'netCentsPerThousandCoins',
    ]);
    const rows = rowsOf(table);
    expect(rows.map((r) => r.slice(0, 3).join('/'))).toEqual([
      '0/app/c70',
      '0/app/c350',
      '0/app/c1400',
      '0/web/c70',
      '0/web/c1750',
      '1/app/c70',
      '1/app/c350',
      '1/app/c1400',
      '1/web/c70',
      '1/web/c1750',
    ]);
    // 3 web packs of 70 coins at 74 ¢: card fee 2.9 % (2 ¢, rounded down) + 30 ¢ each, 42 ¢ net each.
    expect(rows[3]).toEqual([0, 'web', 'c70', 70, 74, 3, 210, 222, 0, 96, 126, 600]);
    // 2 app packs of 350 coins at $4.99: store fee 30 % (149 ¢, rounded down), 350 ¢ net each.
    expect(rows[6]).toEqual([1, 'app', 'c350', 350, 499, 2, 700, 998, 298, 0, 700, 1000]);
    // A pack nobody bought still says what its coins net.
    expect(rows[4]).toEqual([0, 'web', 'c1750', 1750, 1500, 0, 0, 0, 0, 0, 0, (1427 * 1000) / 1750]);
  });
});

describe('gifts.csv', () => {
  it('a row per replication × gift, with sends and gifts counted one by one', () => {
    const rose: GiftRow = {
      gift: 'rose',
      coinsPerGift: 1,
      sends: 2,
      giftCount: 7,
      coinsSpent: 7,
      diamondsCredited: 3,
    };
    const table = giftsTable(runOf([{}, {}], [[rose], [{ ...rose, sends: 1, giftCount: 1, coinsSpent: 1 }]]));
    expect(table.header).toEqual([
      'replication',
      'gift',
      'coinsPerGift',
      'sends',
      'giftCount',
      'coinsSpent',
      'diamondsCredited',
    ]);
    expect(rowsOf(table)).toEqual([
      [0, 'rose', 1, 2, 7, 7, 3],
      [1, 'rose', 1, 1, 1, 1, 3],
    ]);
  });
});

describe('the report table: net revenue per 1,000 coins by channel and pack', () => {
  const run = runOf([
    { 'web/c70': 10, 'web/c1750': 2, 'app/c70': 4 },
    { 'web/c70': 20, 'app/c70': 6 },
  ]);

  it("means over replications; a pack's figure is its own, a channel's weighs its packs by coins sold", () => {
    const [app, web] = packMeans(run);
    expect(app.packs.map((p) => p.pack)).toEqual(['c70', 'c350', 'c1400']);
    expect(web.packs.map((p) => p.pack)).toEqual(['c70', 'c1750']);
    const [c70, c1750] = web.packs;
    expect(c70).toMatchObject({
      purchases: 15,
      coinsSold: 1050,
      netRevenueCents: 630,
      netPerPurchaseCents: 42,
    });
    expect(c70.netCentsPerThousandCoins).toBe(600);
    // 1,500 ¢: card fee 43 ¢ + 30 ¢, net 1,427 ¢.
    expect(c1750).toMatchObject({
      purchases: 1,
      coinsSold: 1750,
      netRevenueCents: 1427,
      netPerPurchaseCents: 1427,
    });
    expect(web.total).toMatchObject({ purchases: 16, coinsSold: 2800, netRevenueCents: 2057 });
    expect(web.total.netCentsPerThousandCoins).toBeCloseTo((2057 * 1000) / 2800, 9);
    // The app's 70-coin pack at 99 ¢ keeps 70 ¢ (a 29 ¢ store fee): 1,000 ¢ per 1,000 coins.
    expect(app.total.netCentsPerThousandCoins).toBe(1000);
    expect(app.total.purchases).toBe(5);
  });

  it('shows each channel, then its packs, in dollars per 1,000 coins', () => {
    const html = packsSection(run, baselineScenario({ name: 'packs' }));
    expect(html).toMatch(
      new RegExp(`^<section id="${PACKS_ID}"><h2>Net revenue per 1,000 coins by channel and pack</h2>`),
    );
    const rows = [...html.matchAll(/<tr( class="channel")? data-pack="([^"]+)">(.*?)<\/tr>/g)];
    expect(rows.map((m) => m[2])).toEqual([
      'app/*',
      'app/c70',
      'app/c350',
      'app/c1400',
      'web/*',
      'web/c70',
      'web/c1750',
    ]);
    const cells = (i: number) => [...rows[i][3].matchAll(/<(?:td|b)[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(cells(5)).toContain('$6.00');
    expect(cells(5)).toContain('$0.42\u00a0(57\u00a0%)');
    expect(cells(4)).toContain('$7.35');
    expect(cells(0)).toContain('$10.00');
  });

  it('sits after the channel mix in the report, with its link in the contents', async () => {
    const scenario = baselineScenario();
    const html = await buildHtmlReport(buildRunFixture(scenario, { replications: 2, scale: 0.05 }), scenario);
    const order = [...html.matchAll(/<section id="([a-z-]+)">/g)].map((m) => m[1]);
    expect(order.indexOf(PACKS_ID)).toBe(order.indexOf('channel-mix') + 1);
    expect(html).toContain(`<a href="#${PACKS_ID}">Net revenue per 1,000 coins by channel and pack</a>`);
    expect(html.split(`<section id="${PACKS_ID}">`)[1]).toMatch(/data-pack="web\/c70">.*?\$6\.00/);
  });
});

describe("the report's economy table", () => {
  it('counts the packs a scenario lists, and says how many promotional variants follow them', () => {
    const html = assumptionsSection(loadScenarioFile('scenarios/web-weekend-promo.yaml'));
    expect(html).toContain('<td class="num">6 (+6 promotional)</td>');
    expect(html).toContain('<td class="num">5</td>');
    expect(assumptionsSection(loadScenarioFile('scenarios/baseline.yaml'))).not.toContain('promotional');
  });
});

describe("the report's key assumptions", () => {
  const html = (file: string, sets: string[] = []) =>
    assumptionsSection(loadScenarioFile(`scenarios/${file}.yaml`, { sets }));

  it('list the promotions, the first-purchase bonus, payer lives and the creators’ response when a scenario has them', () => {
    expect(html('web-weekend-promo')).toMatch(/\+20\s%\scoins on web from 5\sd for 2\sd/);
    expect(html('first-purchase-bonus')).toContain(
      'coins on a new viewer&#39;s first pack; conversion weight 0.25',
    );
    const share60 = html('creator-share-60');
    expect(share60).toContain('1.095 stream(s) a day');
    expect(share60).toContain('× 1.095 here');
    expect(html('baseline', ['lifecycle.payers.payingDays=90'])).toContain('paying for 90 days on average');
    expect(html('steady-365d')).toContain(
      'Creators&#39; careers</dt><dd>5.6 join a day (2,044 over the run); streaming for 180 days on average, then leaving',
    );
  });

  it('say nothing of them when a scenario has none', () => {
    const base = html('baseline');
    for (const absent of ['Promotions', 'First-purchase bonus', 'Payers&#39; lives', 'Creators&#39; careers'])
      expect(base).not.toContain(absent);
    // The creators' response is an assumption even at the reference split, where it changes nothing.
    expect(base).toContain('× 1.000 here');
    expect(base).toContain('1 stream(s) a day');
    expect(html('baseline', ['creators.earningsResponse.elasticity=0'])).not.toContain('Creators respond');
  });
});
