import { describe, expect, it } from 'vitest';
import { validateCertificatePath } from '../../src/pki/chain.js';
import { fromBase64 } from '../../src/core/bytes.js';
import { isKysoError } from '../../src/core/errors.js';
import { vnTrustBundle, vnTrustStore } from '../../src/pki/vn-trust.js';
import { trustStoreFromBundle, TrustPinError } from '../../src/pki/trust-bundle.js';
import { resolveTrust } from '../../src/pki/trust-input.js';

const G1_ROOT = 'F7BC89054CEC7F12730D7B8CD3EB7955B163835087E5EB873EDFB584763B3F90';
const G2_ROOT = 'F04BA4B459A7C9A1B971AD9B1CB833E695A80C79AEA63B174B66A70EDFE2FDB8';
const MIC_ROOT = 'CA918D635BB130BEC97639E6AABF7EDBC4EB1310F8058B9419F467AE0230AD8C';
const VNRCA = 'BAC8BF609AB420A8EE1780D74F4DE5C7F7184959D2A7375B0A75E4C29F0908E7';
const VNRCA_G3 = '7B3269E7D79AEBBFAE5095F45BBB7074771E690CB7DF02B441062B12F7690ECE';

describe('the Vietnamese trust bundle', () => {
  it('anchors every official root, pinned, and keeps intermediates out of the anchors', async () => {
    const store = await vnTrustStore();
    expect(store.anchors.map((a) => a.fingerprintSha256).sort()).toEqual(
      [G1_ROOT, G2_ROOT, MIC_ROOT, VNRCA, VNRCA_G3].sort(),
    );
    expect(store.intermediates).toHaveLength(27);
    expect(store.intermediates!.every((c) => !c.selfIssued && c.basicConstraints?.ca)).toBe(true);
    expect(store.intermediates!.some((c) => c.subject.commonName === 'CA phục vụ các cơ quan Nhà nước G2')).toBe(true);
  });

  it('has the named subsets vn-gov (G1, G2) and vn-public (MIC, Vietnam National Root CA, G3)', async () => {
    expect((await vnTrustStore('vn-gov')).anchors.map((a) => a.fingerprintSha256).sort()).toEqual(
      [G1_ROOT, G2_ROOT].sort(),
    );
    expect((await vnTrustStore('vn-public')).anchors.map((a) => a.fingerprintSha256).sort()).toEqual(
      [MIC_ROOT, VNRCA, VNRCA_G3].sort(),
    );
    expect((await resolveTrust('vn-public'))!.anchors).toHaveLength(3);
    const mixed = await resolveTrust(['vn-gov', 'vn-public']);
    expect(mixed!.anchors).toHaveLength(5);
    expect(mixed!.intermediates).toHaveLength(27);
  });

  it('refuses a bundled certificate whose bytes do not match its pin, with a typed error', async () => {
    const entries = await vnTrustBundle();
    const g2 = entries.find((e) => e.sha256 === G2_ROOT)!;
    const wrongPin = { ...g2, sha256: VNRCA };
    await expect(trustStoreFromBundle([wrongPin])).rejects.toBeInstanceOf(TrustPinError);
    const der = fromBase64(g2.der);
    der[der.length - 3] = der[der.length - 3]! ^ 0x01;
    const tampered = { ...g2, der: Buffer.from(der).toString('base64') };
    const e = await trustStoreFromBundle([tampered]).catch((x: unknown) => x);
    expect(isKysoError(e, 'ERR_TRUST_PIN')).toBe(true);
    expect((e as TrustPinError).expected).toBe(G2_ROOT);
  });

  it('every CA certificate validates up to its pinned root through the bundle, inside its validity', async () => {
    const entries = await vnTrustBundle();
    const store = await vnTrustStore();
    const intermediates = entries.filter((e) => e.role === 'intermediate');
    expect(intermediates).toHaveLength(27);
    for (const e of intermediates) {
      const from = Date.parse(e.notBefore);
      const time = new Date(from + (Date.parse(e.notAfter) - from) / 2);
      const r = await validateCertificatePath({ certificate: fromBase64(e.der), trust: store, time, purpose: 'any' });
      expect({ id: e.id, status: r.status, problems: r.problems }).toEqual({ id: e.id, status: 'valid', problems: [] });
      expect(r.chain.at(-1)!.fingerprintSha256).toBe(e.root);
      // the subset it belongs to is enough on its own; the other subset is not
      const own = await vnTrustStore(e.subsets[0] as 'vn-gov' | 'vn-public');
      expect(
        (await validateCertificatePath({ certificate: fromBase64(e.der), trust: own, time, purpose: 'any' })).status,
      ).toBe('valid');
      const other = await vnTrustStore(e.subsets[0] === 'vn-gov' ? 'vn-public' : 'vn-gov');
      expect(
        (await validateCertificatePath({ certificate: fromBase64(e.der), trust: other, time, purpose: 'any' })).status,
      ).toBe('no-chain');
      if (e.signatureAlgorithm.startsWith('sha1'))
        expect(r.notes?.join(' ')).toMatch(/SHA-1 signature, accepted because it was made on/);
    }
  });
});
