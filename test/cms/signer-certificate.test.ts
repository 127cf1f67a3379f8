import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { signerCertificate } from '../../src/cms/signer-certificate.js';
import { buildSignedAttributes } from '../../src/cms/signed-attributes.js';
import { digest } from '../../src/crypto/digest.js';
import { splitCertificates } from '../../src/pki/certificate.js';
import { pkiPath } from '../fixtures/pki.js';

const der = (f: string) => splitCertificates(readFileSync(pkiPath(f)))[0]!;

describe('the signer certificate worked out once per signer (cms)', () => {
  it('is reused for the same buffer, and read afresh when the buffer now holds other bytes', async () => {
    const buffer = der('rsa2048.cert.pem').slice();
    const first = signerCertificate(buffer);
    expect(signerCertificate(buffer)).toBe(first);
    const hash = await first.hash('SHA-256');
    expect(hash).toEqual(await digest('SHA-256', buffer));
    // SEQUENCE, TBSCertificate SEQUENCE, [0] version, serialNumber INTEGER: change its 2nd byte in place
    expect([buffer[0], buffer[4], buffer[8], buffer[13]]).toEqual([0x30, 0x30, 0xa0, 0x02]);
    buffer[16] = buffer[16]! ^ 0xff;
    const second = signerCertificate(buffer);
    expect(second).not.toBe(first);
    expect(second.facts.serialNumber).not.toEqual(first.facts.serialNumber);
    expect(await second.hash('SHA-256')).toEqual(await digest('SHA-256', buffer));
    // what is signed names the certificate the buffer holds now
    const attrs = await buildSignedAttributes({
      contentDigest: new Uint8Array(32),
      hash: 'SHA-256',
      signerCertificate: buffer,
    });
    const hex = Buffer.from(attrs).toString('hex');
    expect(hex).toContain(Buffer.from(await digest('SHA-256', buffer)).toString('hex'));
    expect(hex).not.toContain(Buffer.from(hash).toString('hex'));
  });
  it('keeps the certificate set per chain: another chain is another set', () => {
    const leaf = der('rsa2048.cert.pem');
    const intermediate = der('intermediate.cert.pem');
    const s = signerCertificate(leaf);
    const withChain = s.certificateSet([intermediate]);
    expect(s.certificateSet([intermediate.slice()])).toBe(withChain);
    const alone = s.certificateSet([]);
    expect(alone.length).toBeLessThan(withChain.length);
    // the leaf repeated in its chain is written once
    expect(s.certificateSet([leaf])).toEqual(alone);
  });
});
