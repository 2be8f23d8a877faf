/**
 * JUnit XML, the format CI systems publish: one suite per check family (invariants, thresholds),
 * one test case per check, a failure element with the message when it failed.
 */
export interface JunitCase {
  name: string;
  className: string;
  /** Undefined when the case passed. */
  failure?: { message: string; detail?: string };
  skipped?: string;
  timeSeconds?: number;
}

export interface JunitSuite {
  name: string;
  cases: JunitCase[];
}

export function junitXml(suites: readonly JunitSuite[]): string {
  const total = suites.reduce((n, s) => n + s.cases.length, 0);
  const failures = suites.reduce((n, s) => n + s.cases.filter((c) => c.failure).length, 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites tests="${total}" failures="${failures}">`,
  ];
  for (const suite of suites) {
    const f = suite.cases.filter((c) => c.failure).length;
    const s = suite.cases.filter((c) => c.skipped !== undefined).length;
    lines.push(
      `  <testsuite name="${xml(suite.name)}" tests="${suite.cases.length}" failures="${f}" skipped="${s}">`,
    );
    for (const c of suite.cases) {
      const time = c.timeSeconds === undefined ? '' : ` time="${c.timeSeconds.toFixed(3)}"`;
      const open = `    <testcase classname="${xml(c.className)}" name="${xml(c.name)}"${time}`;
      if (c.failure === undefined && c.skipped === undefined) {
        lines.push(`${open}/>`);
        continue;
      }
      lines.push(`${open}>`);
      if (c.skipped !== undefined) lines.push(`      <skipped message="${xml(c.skipped)}"/>`);
      if (c.failure !== undefined) {
        lines.push(
          `      <failure message="${xml(c.failure.message)}">${xml(c.failure.detail ?? c.failure.message)}</failure>`,
        );
      }
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

function xml(text: string): string {
  return (
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 forbids these characters
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
  );
}
