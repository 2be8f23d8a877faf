export { parseCsv } from '../../common/csv-read.ts';
export {
  ALPHA,
  type Comparison,
  compareKpi,
  compareRuns,
  type KpiComparison,
  type Verdict,
} from './compare.ts';
export { type KpiSample, type RunFolder, readRunFolder } from './run-folder.ts';
export {
  ci95OfMean,
  quantileSorted,
  type Sample,
  sampleOf,
  sdFromCi95,
  type WelchResult,
  welch,
} from './stats.ts';
export { compareTable } from './table.ts';
export { writeComparison } from './write.ts';
export { COMPARE_COLUMNS, compareCsv } from './write-csv.ts';
export { compareHtml } from './write-html.ts';
