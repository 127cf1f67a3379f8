/** Worker: signs the one-page PDF N times with kyso (RSA-2048, one process) and prints a Measurement. */
import { readFileSync } from 'node:fs';
import { loadPkcs12Signer, signPdf } from '../dist/index.js';
import { measure, PASSWORD } from './common.js';

const [pdfPath, p12Path, count] = process.argv.slice(2);
const pdf = readFileSync(pdfPath!);
const signer = await loadPkcs12Signer(readFileSync(p12Path!), { password: PASSWORD });
await signPdf(pdf, { signer }); // warm-up: JIT and imported keys
const m = await measure('kyso signPdf', Number(count), async () => {
  const signed = await signPdf(pdf, { signer, reason: 'Benchmark', location: 'Hà Nội' });
  if (signed.length <= pdf.length) throw new Error('signing returned no incremental update');
});
console.log(JSON.stringify(m));
