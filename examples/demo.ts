/**
 * `npm run demo`: makes a throw-away demo certificate, signs the sample administrative document
 * (examples/documents/quyet-dinh-mau.pdf) with it, and prints where the signed file is and a summary.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createKeySigner, parseCertificate, signPdf } from '../dist/index.js';
import { makeDemoIdentity } from './demo-identity.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const outDir = here('./out/');
mkdirSync(outDir, { recursive: true });

const identity = await makeDemoIdentity();
writeFileSync(`${outDir}demo-root.pem`, identity.rootPem);
const signer = await createKeySigner({ key: identity.keyPem, certificate: identity.certificatePem, chain: [identity.rootPem] });

const input = readFileSync(here('./documents/quyet-dinh-mau.pdf'));
const started = performance.now();
const signed = await signPdf(input, { signer, reason: 'Phê duyệt ban hành', location: 'Thử Nghiệm' });
const ms = performance.now() - started;
const output = `${outDir}quyet-dinh-mau-signed.pdf`;
writeFileSync(output, signed);

const cert = await parseCertificate(signer.certificate);
console.log(`Signed:     ${output}`);
console.log(`Signer:     ${cert.subject.commonName} (${cert.subject.uids.join(', ')}), ${cert.subject.organization}`);
console.log(`Issuer:     ${cert.issuer.commonName} — a demo CA, trusted nowhere (its certificate: ${outDir}demo-root.pem)`);
console.log(`Signature:  PAdES B-B, ETSI.CAdES.detached, ${signer.algorithms[0]!.scheme} ${signer.algorithms[0]!.hash}, in ${ms.toFixed(1)} ms`);
console.log(`Size:       ${input.length} → ${signed.length} bytes (incremental update; the first ${input.length} bytes are the original)`);
console.log(`Check it:   pdfsig ${output}`);
