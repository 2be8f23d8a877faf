export type { Chart, ChartInput } from './charts/chart.ts';
export { escapeHtml } from './escape.ts';
export { renderSvg } from './render.ts';
export { buildHtmlReport, type HtmlReportOptions, REPORT_CHARTS, writeHtmlReport } from './report.ts';
export { STYLE } from './style.ts';
