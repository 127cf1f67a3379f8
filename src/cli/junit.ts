/** JUnit XML of verification results: a test case per file, a failure per failing signature, so any CI shows it. */
export interface JunitCase {
  file: string;
  indication: string;
  /** One entry per failing or indeterminate signature (or the document), with the reason. */
  failures: { title: string; message: string; type: string }[];
  seconds: number;
}

const esc = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/** The JUnit document for `cases`. */
export function renderJunit(cases: JunitCase[]): string {
  const failures = cases.filter((c) => c.failures.length).length;
  const time = cases.reduce((t, c) => t + c.seconds, 0).toFixed(3);
  const body = cases
    .map((c) => {
      const inner = c.failures
        .map((f) => `      <failure type="${esc(f.type)}" message="${esc(f.title)}">${esc(f.message)}</failure>\n`)
        .join('');
      return `    <testcase classname="kyso.verify" name="${esc(c.file)}" time="${c.seconds.toFixed(3)}">${inner ? `\n${inner}    ` : ''}</testcase>`;
    })
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="kyso verify" tests="${cases.length}" failures="${failures}" time="${time}">\n  <testsuite name="kyso verify" tests="${cases.length}" failures="${failures}" errors="0" time="${time}">\n${body}\n  </testsuite>\n</testsuites>\n`;
}
