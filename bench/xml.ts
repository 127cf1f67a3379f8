/** Worker: signs and verifies the example e-invoice N times with kyso and with xml-crypto (same key). */
import { readFileSync } from 'node:fs';
import { SignedXml } from 'xml-crypto';
import { createKeySigner, signXml, verifyXml } from '../dist/index.js';
import { measure } from './common.js';

const [xmlPath, keyPath, certPath, rootPath, count] = process.argv.slice(2);
const xml = readFileSync(xmlPath!, 'utf8');
const keyPem = readFileSync(keyPath!, 'utf8');
const certPem = readFileSync(certPath!, 'utf8');
const n = Number(count);
const signer = await createKeySigner({ key: keyPem, certificate: certPem });
const signed = await signXml(xml, { signer, profile: 'einvoice' });
const trust = [readFileSync(rootPath!)];
// the chain as a real e-invoice is checked: the intermediate supplied, a path built to the root every time
const certificates = [readFileSync(certPath!.replace('.cert.pem', '.chain.pem'))];
const kysoVerify = async () => {
  const report = await verifyXml(signed, { trust, certificates });
  if (report.indication !== 'TOTAL_PASSED') throw new Error(`kyso XML verification gave ${report.indication}`);
};
await kysoVerify();

const peerSign = () => {
  const sig = new SignedXml({
    privateKey: keyPem,
    publicCert: certPem,
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  });
  sig.addReference({
    xpath: "//*[local-name(.)='DLHDon']",
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
  });
  sig.computeSignature(xml, { location: { reference: "//*[local-name(.)='DSCKS']", action: 'append' } });
  return sig.getSignedXml();
};
const peerSigned = peerSign();
const peerVerify = () => {
  const v = new SignedXml({ publicCert: certPem });
  const node = peerSigned.slice(peerSigned.indexOf('<Signature'), peerSigned.indexOf('</Signature>') + 12);
  v.loadSignature(node);
  if (!v.checkSignature(peerSigned)) throw new Error('xml-crypto does not verify its own signature');
};
peerVerify();

console.log(
  JSON.stringify(await measure('kyso signXml (einvoice)', n, () => signXml(xml, { signer, profile: 'einvoice' }))),
);
console.log(JSON.stringify(await measure('xml-crypto SignedXml sign', n, peerSign)));
console.log(JSON.stringify(await measure('kyso verifyXml (report, chain)', n, kysoVerify)));
console.log(JSON.stringify(await measure('xml-crypto checkSignature', n, peerVerify)));
