/** Worker: a detached CAdES signature of a large file and its verification, both streamed; prints time and peak RSS. */
import { createReadStream, readFileSync } from 'node:fs';
import { loadPkcs12Signer, signDetached, verifyDetached } from '../dist/index.js';
import { PASSWORD, type Measurement } from './common.js';

const [input, p12, root] = process.argv.slice(2);
const signer = await loadPkcs12Signer(readFileSync(p12!), { password: PASSWORD });
const stream = () => createReadStream(input!, { highWaterMark: 1 << 20 });
const rss = () => process.resourceUsage().maxRSS / 1024;
let start = performance.now();
const p7s = await signDetached(stream(), { signer });
const signSeconds = (performance.now() - start) / 1000;
const signRss = rss();
start = performance.now();
const report = await verifyDetached(stream(), p7s, { trust: [readFileSync(root!)] });
const verifySeconds = (performance.now() - start) / 1000;
if (report.indication !== 'TOTAL_PASSED')
  throw new Error(`the detached signature does not verify: ${report.indication}`);
const m = (name: string, seconds: number, maxRssMB: number): Measurement => ({
  name,
  docs: 1,
  seconds,
  docsPerSecond: 1 / seconds,
  maxRssMB,
});
console.log(JSON.stringify(m('kyso signDetached (stream)', signSeconds, signRss)));
console.log(JSON.stringify(m('kyso verifyDetached (stream)', verifySeconds, rss())));
