/**
 * Runs one fuzz case through the public API and judges what came back: a verdict or a typed error, never an
 * uncaught error, never internal-error text in the report, never TOTAL_PASSED when signed bytes or what a
 * reader sees changed, and the warnings the case requires.
 */
import { isKysoError } from '../../src/core/errors.js';
import { verifyDetached, verifyPdf } from '../../src/index.js';
import { verifyXml } from '../../src/xades/verify-xml.js';
import type { FuzzCase } from './cases.js';

export interface Outcome {
  /** The indication, or the typed error's code. */
  verdict: string;
  ms: number;
  /** What is wrong with the outcome (empty: nothing). */
  findings: string[];
}

/** Text of a JavaScript engine failure leaking into a report. */
const INTERNAL =
  /RangeError|TypeError|ReferenceError|SyntaxError|Maximum call stack|Cannot read propert|is not a function|is not iterable|undefined is not|out of memory/;

/** Runs `c` against `trust` and judges it. */
export async function runCase(c: FuzzCase, trust: Uint8Array): Promise<Outcome> {
  const start = performance.now();
  const findings: string[] = [];
  let verdict: string;
  let text = '';
  try {
    const report =
      c.input.kind === 'pdf'
        ? await verifyPdf(c.input.bytes, { trust: [trust] })
        : c.input.kind === 'xml'
          ? await verifyXml(c.input.text, { trust: [trust] })
          : await verifyDetached(c.input.data, c.input.p7s, { trust: [trust] });
    verdict = report.indication;
    text = JSON.stringify(report, (k, v) => (k === 'signedXml' || k === 'signedData' ? undefined : v));
  } catch (e) {
    if (isKysoError(e)) {
      verdict = e.code;
      text = e.message;
    } else {
      verdict = 'UNCAUGHT';
      findings.push(`uncaught ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    }
  }
  const ms = performance.now() - start;
  const leak = INTERNAL.exec(text);
  if (leak)
    findings.push(`internal error text in the report: …${text.slice(Math.max(0, leak.index - 80), leak.index + 80)}…`);
  if (c.mustNotPass && verdict === 'TOTAL_PASSED')
    findings.push('TOTAL_PASSED after a change to signed bytes or to what a reader shows');
  if (c.mustWarn && !c.mustWarn.test(text)) findings.push(`no warning matching ${c.mustWarn}`);
  return { verdict, ms, findings };
}
