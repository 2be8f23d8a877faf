/**
 * The page shell every report with charts shares (run, sweep, calibration): the head with the inline
 * stylesheet, the header, the contents, the sections and the footer saying the file needs no network.
 * One place, so the reports keep one look and one offline promise.
 */
import { STYLE } from './style.ts';

export interface ReportPage {
  /** The page's title, already escaped. */
  title: string;
  /** The header section's HTML. */
  header: string;
  /** The contents' links, in page order. */
  toc: readonly string[];
  /** The sections' HTML, in page order, one line between each (an empty one leaves its line empty). */
  sections: readonly string[];
  /** What made the file (command, seed, scenario), already escaped; the footer goes on from it. */
  footer: string;
}

export function reportPage(page: ReportPage): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title}</title>
<style>${STYLE}</style>
</head>
<body>
<div class="page">
${page.header}
<nav class="toc" aria-label="Contents">${page.toc.join('')}</nav>
${page.sections.join('\n')}
<footer>${page.footer} · charts rendered at write time with vega-lite; this file needs no network.</footer>
</div>
</body>
</html>
`;
}
