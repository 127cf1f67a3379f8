// The browser example: sign a PDF with a non-extractable WebCrypto key (or a .p12), verify it, offer it.
import {
  createCryptoKeySigner,
  createSelfSignedCertificate,
  loadPkcs12Signer,
  renderPdfReport,
  signPdf,
  verifyPdf,
} from './kyso/browser.js';

const $ = (id) => document.getElementById(id);
const bytesOf = async (input) => new Uint8Array(await input.files[0].arrayBuffer());

$('pdf').addEventListener('change', () => ($('sign').disabled = !$('pdf').files.length));

$('sign').addEventListener('click', async () => {
  $('report').textContent = 'Signing…';
  try {
    let signer;
    let trust;
    if ($('p12').files.length) {
      signer = await loadPkcs12Signer(await bytesOf($('p12')), { password: $('password').value });
      trust = signer.chain.length ? [signer.chain.at(-1)] : [signer.certificate];
    } else {
      const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
      const certificate = await createSelfSignedCertificate({
        keys,
        commonName: 'Nguyễn Văn An',
        organization: 'Ủy ban nhân dân tỉnh Thử Nghiệm',
        uid: 'CCCD:001089012345',
      });
      signer = await createCryptoKeySigner({ privateKey: keys.privateKey, certificate });
      trust = [certificate];
    }
    const signed = await signPdf(await bytesOf($('pdf')), {
      signer,
      reason: 'Ký trong trình duyệt',
      location: 'Hà Nội',
    });
    const report = await verifyPdf(signed, { trust });
    $('report').textContent = `${report.indication}\n\n${renderPdfReport(report)}`;
    const link = $('download');
    link.href = URL.createObjectURL(new Blob([signed], { type: 'application/pdf' }));
    link.hidden = false;
  } catch (e) {
    $('report').textContent = `Error: ${e.code ?? ''} ${e.message}`;
  }
});
