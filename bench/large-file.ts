/** Worker: signs a large PDF by path, then verifies the result by path; prints both with time and peak RSS. */
import { readFileSync, rmSync } from 'node:fs';
import { loadPkcs12Signer, signPdfFile, verifyPdfFile } from '../dist/index.js';
import { PASSWORD, type Measurement } from './common.js';

const [input, p12, root, output] = process.argv.slice(2);
const signer = await loadPkcs12Signer(readFileSync(p12!), { password: PASSWORD });
rmSync(output!, { force: true });
const rss = () => process.resourceUsage().maxRSS / 1024;
let start = performance.now();
await signPdfFile(input!, output!, { signer });
const signSeconds = (performance.now() - start) / 1000;
const signRss = rss();
start = performance.now();
const report = await verifyPdfFile(output!, { trust: [readFileSync(root!)] });
const verifySeconds = (performance.now() - start) / 1000;
if (report.indication !== 'TOTAL_PASSED') throw new Error(`the large file does not verify: ${report.indication}`);
const m = (name: string, seconds: number, maxRssMB: number): Measurement => ({
  name,
  docs: 1,
  seconds,
  docsPerSecond: 1 / seconds,
  maxRssMB,
});
console.log(JSON.stringify(m('kyso signPdfFile', signSeconds, signRss)));
console.log(JSON.stringify(m('kyso verifyPdfFile', verifySeconds, rss())));
