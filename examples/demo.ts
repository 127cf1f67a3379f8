/**
 * `npm run demo`: the signing workflow of an administrative document as Decree 30/2020 prescribes, with
 * throw-away demo certificates. The leader approves (signature image and text block between "CHỦ TỊCH" and the
 * name), then the clerk issues it with the organisation's red seal laid over the left third of the leader's
 * signature. Each step is an incremental update; both signatures stay valid.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createKeySigner, signPdf, verifyPdf } from '../dist/index.js';
import { makeDemoIdentity } from './demo-identity.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const outDir = here('./out/');
mkdirSync(outDir, { recursive: true });

const leaderId = await makeDemoIdentity(new Date(), 'leader');
const orgId = await makeDemoIdentity(new Date(), 'organisation');
writeFileSync(`${outDir}demo-root.pem`, leaderId.rootPem + orgId.rootPem);
const leader = await createKeySigner({
  key: leaderId.keyPem,
  certificate: leaderId.certificatePem,
  chain: [leaderId.rootPem],
});
const organisation = await createKeySigner({
  key: orgId.keyPem,
  certificate: orgId.certificatePem,
  chain: [orgId.rootPem],
});

const input = readFileSync(here('./documents/quyet-dinh-mau.pdf'));
const started = performance.now();
// 1. approved: below the title line "CHỦ TỊCH" of the signature block, above the name, found on the page
const approved = await signPdf(input, {
  signer: leader,
  reason: 'Phê duyệt ban hành',
  location: 'Thử Nghiệm',
  appearance: {
    preset: 'approved',
    anchor: { text: 'CHỦ TỊCH' },
    image: readFileSync(here('./images/chu-ky-mau.png')),
  },
});
// 2. issued: the seal at its real size (36 mm), placed from the leader's widget
const issued = await signPdf(approved, {
  signer: organisation,
  reason: 'Ban hành',
  appearance: { preset: 'issued', seal: readFileSync(here('./images/con-dau-mau.png')), sealSizeMm: 36 },
});
const ms = performance.now() - started;
const output = `${outDir}quyet-dinh-mau-signed.pdf`;
writeFileSync(output, issued);

const report = await verifyPdf(issued, { trust: [readFileSync(`${outDir}demo-root.pem`)] });
console.log(`Signed:     ${output}`);
for (const s of report.signatures) {
  console.log(
    `Signature:  #${s.index} ${s.signer?.subject.commonName} (${s.signer?.subject.uids.join(', ')}) — ${s.indication}, ${s.modifications?.verdict}`,
  );
}
console.log(
  `Signatures: PAdES B-B, ETSI.CAdES.detached, RSA-2048/SHA-256, visible (Decree 30), in ${ms.toFixed(0)} ms`,
);
console.log(
  `Size:       ${input.length} → ${issued.length} bytes (incremental updates; the first ${input.length} bytes are the original)`,
);
console.log(`Demo CAs:   ${outDir}demo-root.pem (trusted nowhere else)`);
console.log(`Check it:   pdfsig ${output}   ·   node dist/cli/main.js verify ${output} --trust ${outDir}demo-root.pem`);
