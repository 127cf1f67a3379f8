/** Worker: signs the one-page PDF N times with @signpdf/signpdf (same key) and prints a Measurement. */
import { readFileSync } from 'node:fs';
import { SignPdf } from '@signpdf/signpdf';
import { P12Signer } from '@signpdf/signer-p12';
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { measure, PASSWORD } from './common.js';

const [pdfPath, p12Path, count] = process.argv.slice(2);
const pdf = readFileSync(pdfPath!);
const signer = new P12Signer(readFileSync(p12Path!), { passphrase: PASSWORD });
const signpdf = new SignPdf();
const once = () => signpdf.sign(plainAddPlaceholder({ pdfBuffer: pdf, reason: 'Benchmark', location: 'Ha Noi', name: 'bench', contactInfo: '' }), signer);
await once();
const m = await measure('@signpdf/signpdf', Number(count), once);
console.log(JSON.stringify(m));
