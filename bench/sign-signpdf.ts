/** Worker: signs the one-page PDF N times with @signpdf/signpdf (same key) and prints a Measurement. */
import { readFileSync } from 'node:fs';
import { SignPdf } from '@signpdf/signpdf';
import { P12Signer } from '@signpdf/signer-p12';
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { measure, PASSWORD } from './common.js';

const [pdfPath, p12Path, count] = process.argv.slice(2);
const pdf = readFileSync(pdfPath!);
const p12 = readFileSync(p12Path!);
const signpdf = new SignPdf();
// A P12Signer consumes its buffer on first use and decodes the .p12 inside every sign(): one per document
// is how the library is used.
const once = () =>
  signpdf.sign(
    plainAddPlaceholder({ pdfBuffer: pdf, reason: 'Benchmark', location: 'Ha Noi', name: 'bench', contactInfo: '' }),
    new P12Signer(p12, { passphrase: PASSWORD }),
  );
await once();
const m = await measure('@signpdf/signpdf', Number(count), once);
console.log(JSON.stringify(m));
