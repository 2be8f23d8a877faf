// The end of .ci/run: `node .ci/summary.mjs <vitest JSON report> <npm test's exit code>` prints what was
// skipped and why, then one plain last line "N passed, N failed", and exits 3 when that line counts a
// failure or npm test failed (0 otherwise: any other code means this script itself broke).
// A failed run never reads "0 failed": a test file that failed to run (an import error, say: vitest counts
// no test of it) counts 1 failed, and so does a non-zero exit with no failed test (an unhandled error, a
// crash after the report) or a missing or unreadable report (typecheck or lint stopped npm test first,
// or vitest died). Whatever happens here, the last line is printed.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

const [file, statusText = '0'] = process.argv.slice(2);
const status = Number(statusText);

function finish(passed, failed, notes) {
  for (const note of notes) console.log(note);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 || status !== 0 ? 3 : 0);
}

function summarise() {
  let text;
  try {
    text = file === undefined ? '' : readFileSync(file, 'utf8');
  } catch {
    text = '';
  }
  if (text.trim() === '') {
    return finish(0, 1, [
      `ci: vitest wrote no report (npm test exited ${status}): typecheck or lint failed before vitest ran, or vitest crashed; see the output above`,
    ]);
  }
  let r;
  try {
    r = JSON.parse(text);
  } catch (error) {
    return finish(0, 1, [
      `ci: vitest's report is not valid JSON (${error.message}): vitest died while writing it; see the output above`,
    ]);
  }
  const notes = [];
  // Say what was skipped and why (the describe titles carry the reason), before the last line.
  const skipped = new Map();
  const broken = [];
  for (const f of r.testResults ?? []) {
    const where = relative(process.cwd(), f.name ?? '?');
    const tests = f.assertionResults ?? [];
    for (const t of tests) {
      if (t.status !== 'pending' && t.status !== 'skipped') continue;
      const key = `${where}: ${(t.ancestorTitles ?? []).join(' > ')}`;
      const seen = skipped.get(key) ?? { n: 0, title: t.title };
      skipped.set(key, { n: seen.n + 1, title: seen.title });
    }
    if (f.status === 'failed' && !tests.some((t) => t.status === 'failed')) {
      broken.push(`ci: ${where} failed to run: ${String(f.message ?? '').split('\n')[0]}`);
    }
  }
  for (const [where, s] of skipped) notes.push(`skipped ${s.n}: ${where} (e.g. "${s.title}")`);
  notes.push(...broken);
  const passed = Number(r.numPassedTests) || 0;
  let failed = (Number(r.numFailedTests) || 0) + broken.length;
  if (failed === 0 && status !== 0) {
    notes.push(
      `ci: npm test exited ${status} with no failed test: an unhandled error or a crash (vitest's "Errors" above); counted as 1 failed`,
    );
    failed = 1;
  }
  return finish(passed, failed, notes);
}

try {
  summarise();
} catch (error) {
  console.log(`ci: could not summarise the report: ${error?.message ?? error}`);
  console.log('0 passed, 1 failed');
  process.exit(3);
}
