/** Worker: B-T signing against a local TSA (openssl ts behind HTTP), and the TSA alone, N times each. */
import { readFileSync } from 'node:fs';
import { HttpTimestampSource, loadPkcs12Signer, signPdf } from '../dist/index.js';
import { createTsaIdentity, startTsaServer } from '../test/fixtures/tsa-server.js';
import { measure, PASSWORD, PKI } from './common.js';

const [pdfPath, p12Path, count] = process.argv.slice(2);
const pdf = readFileSync(pdfPath!);
const signer = await loadPkcs12Signer(readFileSync(p12Path!), { password: PASSWORD });
const server = await startTsaServer({ identity: createTsaIdentity({ pkiDir: PKI }) });
const tsa = new HttpTimestampSource({ url: server.url });
const digest = new Uint8Array(32);
await signPdf(pdf, { signer, tsa });
const alone = await measure('TSA alone (openssl ts -reply)', Number(count), () => tsa.timestamp(digest, 'SHA-256'));
const bt = await measure('kyso B-T signing', Number(count), () => signPdf(pdf, { signer, tsa }));
await server.stop();
console.log(JSON.stringify(alone));
console.log(JSON.stringify(bt));
