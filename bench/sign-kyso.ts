/** Worker: signs the one-page PDF N times with kyso (RSA-2048, one process, 8 in flight) and prints a Measurement. */
import { readFileSync } from 'node:fs';
import { loadPkcs12Signer, signPdfs } from '../dist/index.js';
import { measure, PASSWORD, warmUpRuns } from './common.js';

const [pdfPath, p12Path, count] = process.argv.slice(2);
const pdf = readFileSync(pdfPath!);
const signer = await loadPkcs12Signer(readFileSync(p12Path!), { password: PASSWORD });
// the batch API keeps several documents in flight: key operations overlap the parsing and writing of the others
const warmUp = warmUpRuns(Number(count));
const batch = signPdfs(
  Array.from({ length: warmUp + Number(count) }, () => pdf),
  { signer, reason: 'Benchmark', location: 'Hà Nội' },
);
const m = await measure(
  'kyso signPdfs (8 in flight)',
  Number(count),
  async () => {
    const { value: signed } = await batch.next();
    if (!signed || signed.length <= pdf.length) throw new Error('signing returned no incremental update');
  },
  warmUp,
);
console.log(JSON.stringify(m));
