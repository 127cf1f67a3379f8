/** Worker: verifies a large signed PDF once and prints the time and peak RSS. */
import { readFileSync } from 'node:fs';
import { verifyPdf } from '../dist/index.js';

const [pdfPath, rootPath] = process.argv.slice(2);
const start = performance.now();
const report = await verifyPdf(readFileSync(pdfPath!), { trust: [readFileSync(rootPath!)] });
const seconds = (performance.now() - start) / 1000;
console.log(JSON.stringify({ name: 'kyso verifyPdf (read + verify)', docs: 1, seconds, docsPerSecond: 1 / seconds, maxRssMB: process.resourceUsage().maxRSS / 1024, indication: report.indication }));
