/** The report's stylesheet, inlined into the page (no external CSS, no web fonts). */
import { FONT_STACK } from './theme.ts';

export const STYLE = `
:root { --ink: #111827; --muted: #4b5563; --faint: #9ca3af; --line: #e5e7eb; --bg: #f4f5f7; --card: #ffffff;
  --accent: #2563eb; --good: #059669; --bad: #dc2626; --creators: #7c3aed; }
* { box-sizing: border-box; }
html { background: var(--bg); }
body { margin: 0; color: var(--ink); font-family: ${FONT_STACK}; font-size: 15px; line-height: 1.5;
  -webkit-font-smoothing: antialiased; font-variant-numeric: tabular-nums; }
.page { max-width: 1040px; margin: 0 auto; padding: 40px 24px 64px; }
header.top { border-top: 6px solid var(--accent); background: var(--card); border-radius: 14px; padding: 28px 32px 24px;
  box-shadow: 0 1px 2px rgba(17,24,39,.06); border-left: 1px solid var(--line); border-right: 1px solid var(--line);
  border-bottom: 1px solid var(--line); }
.eyebrow { text-transform: uppercase; letter-spacing: .08em; font-size: 12px; font-weight: 700; color: var(--accent); margin: 0 0 6px; }
h1 { font-size: 34px; line-height: 1.15; margin: 0 0 10px; letter-spacing: -.01em; }
.description { color: var(--muted); font-size: 16px; margin: 0 0 16px; max-width: 860px; }
.meta { display: flex; flex-wrap: wrap; gap: 8px; margin: 0; padding: 0; list-style: none; }
.meta li { background: #f3f4f6; border-radius: 999px; padding: 3px 12px; font-size: 13px; color: var(--muted); }
.meta li b { color: var(--ink); font-weight: 600; }
.cards { display: grid; grid-template-columns: repeat(3, 1fr); gap: 14px; margin: 20px 0 0; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 14px 18px; }
.card .label { font-size: 13px; color: var(--muted); font-weight: 600; }
.card .value { font-size: 28px; font-weight: 700; letter-spacing: -.01em; line-height: 1.2; margin-top: 2px; }
.card .sub { font-size: 12.5px; color: var(--muted); }
.card .pm { font-size: 15px; font-weight: 600; color: var(--muted); white-space: nowrap; }
.card .sub.ci { color: var(--ink); }
.one-draw { margin-top: 12px; }
.card.good .value { color: var(--good); } .card.bad .value { color: var(--bad); }
nav.toc { margin: 22px 0 0; display: flex; flex-wrap: wrap; gap: 6px 14px; font-size: 13.5px; }
nav.toc a { color: var(--accent); text-decoration: none; } nav.toc a:hover { text-decoration: underline; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 14px; padding: 24px 28px; margin-top: 22px;
  box-shadow: 0 1px 2px rgba(17,24,39,.04); }
h2 { font-size: 21px; margin: 0 0 4px; letter-spacing: -.005em; }
.lede { color: var(--muted); margin: 0 0 14px; font-size: 14px; }
figure { margin: 0; }
figure h2 { margin-bottom: 14px; }
.chart { overflow-x: auto; }
.chart svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
figcaption.reading { margin-top: 12px; padding: 10px 14px; background: #f8fafc; border-left: 3px solid var(--accent);
  border-radius: 0 8px 8px 0; font-size: 14px; color: var(--ink); }
figcaption.reading b { font-weight: 600; }
.split { display: grid; grid-template-columns: minmax(0, 1fr) 260px; gap: 28px; align-items: center; }
.facts-aside h3 { font-size: 13.5px; margin: 14px 0 6px; display: flex; align-items: center; gap: 8px; }
.facts-aside h3:first-child { margin-top: 0; }
.facts-aside table { font-size: 13.5px; }
.facts-aside th { font-weight: 500; color: var(--muted); padding: 4px 0; }
.facts-aside td { font-weight: 700; padding: 4px 0; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 3px; }
.note { margin: 8px 0 0; font-size: 13px; color: var(--muted); }
code.flag { white-space: nowrap; color: var(--ink); }
.empty { border: 1px dashed var(--faint); border-radius: 10px; padding: 22px 24px; color: var(--muted); background: #fafafa; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; padding: 7px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { font-size: 12px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); font-weight: 700;
  border-bottom: 2px solid var(--line); }
td.num, th.num { text-align: right; white-space: nowrap; }
/* A path in a header keeps its case (PAYOUT.CREATORSHARE is no path to --vary) and may wrap at its dots. */
thead th code { text-transform: none; letter-spacing: 0; white-space: normal; }
/* A wide table (a sweep's Points) wraps its headers and its CIs (td.ci, after the dash), and narrows its
   cells' padding, before it scrolls. */
thead th.num, td.ci { white-space: normal; }
table.wide th, table.wide td { padding-left: 6px; padding-right: 6px; }
tr.group th { background: #f9fafb; font-size: 12.5px; color: var(--accent); text-transform: uppercase; letter-spacing: .06em; padding-top: 12px; }
code { font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, 'DejaVu Sans Mono', monospace; font-size: 12px;
  color: var(--muted); }
.facts { display: grid; grid-template-columns: repeat(2, 1fr); gap: 10px 28px; margin: 16px 0 0; }
.facts div { border-bottom: 1px solid var(--line); padding: 6px 0 8px; }
.facts dt { font-size: 12.5px; color: var(--muted); font-weight: 600; }
.facts dd { margin: 2px 0 0; }
.status { display: inline-flex; align-items: center; gap: 8px; font-weight: 700; padding: 6px 14px; border-radius: 999px; }
.status.ok { background: #ecfdf5; color: var(--good); } .status.fail { background: #fef2f2; color: var(--bad); }
.alert { border-left: 4px solid var(--bad); background: #fef2f2; padding: 8px 16px; margin: 14px 0 0; border-radius: 6px; }
.alert ul { margin: 4px 0 8px; padding-left: 20px; }
td.ok { color: var(--good); font-weight: 600; } td.fail { color: var(--bad); font-weight: 700; } td.skip { color: var(--faint); }
table.packs tr.channel th, table.packs tr.channel td { background: #f9fafb; font-weight: 700; }
div.meter { display: flex; align-items: center; gap: 10px; white-space: nowrap; }
div.meter .track { flex: 0 0 140px; height: 10px; background: #f3f4f6; border-radius: 3px; overflow: hidden; }
div.meter .bar { display: block; height: 100%; border-radius: 3px; }
footer { margin-top: 28px; color: var(--faint); font-size: 12.5px; text-align: center; }
@media (max-width: 760px) { .cards { grid-template-columns: 1fr 1fr; } .split { grid-template-columns: 1fr; } .facts { grid-template-columns: 1fr; } }
/* A phone: a chart keeps its drawn size and scrolls sideways (squeezed into 320 px its text was 4 px
   high), as does a table wider than the screen; cards shrink and long values wrap. */
@media (max-width: 600px) {
  .page { padding: 16px 8px 40px; } header.top { padding: 20px 16px 18px; } section { padding: 18px 14px; }
  h1 { font-size: 26px; } .cards { gap: 8px; } .card { padding: 10px 12px; } .card .value { font-size: 21px; }
  .card, .meta li { min-width: 0; overflow-wrap: anywhere; }
  .chart svg { max-width: none; margin: 0; }
  table { display: block; overflow-x: auto; }
}
@media print { html { background: #fff; } section, header.top { box-shadow: none; break-inside: avoid; } nav.toc { display: none; } }
`;
