/** Worker: verifies a signed PDF N times with kyso and prints a Measurement. */
import { readFileSync } from 'node:fs';
import { verifyPdf } from '../dist/index.js';
import { measure, warmUpRuns } from './common.js';

const [pdfPath, rootPath, count] = process.argv.slice(2);
const pdf = readFileSync(pdfPath!);
const trust = [readFileSync(rootPath!)];
const first = await verifyPdf(pdf, { trust });
if (first.indication !== 'TOTAL_PASSED') throw new Error(`benchmark input does not verify: ${first.indication}`);
// every timed call must reach the verdict it claims
const m = await measure(
  'kyso verifyPdf',
  Number(count),
  async () => {
    const report = await verifyPdf(pdf, { trust });
    if (report.indication !== 'TOTAL_PASSED') throw new Error(`verification gave ${report.indication}`);
  },
  warmUpRuns(Number(count)),
);
console.log(JSON.stringify(m));
