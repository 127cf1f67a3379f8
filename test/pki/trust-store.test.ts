import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { validateCertificatePath } from '../../src/pki/chain.js';
import { createTrustStore, mergeTrustStores } from '../../src/pki/trust-store.js';
import { loadTrustFolder, userTrustFolder } from '../../src/pki/trust-folder.js';
import { isKysoError } from '../../src/core/errors.js';
import { pkiFile, pkiPath } from '../fixtures/pki.js';
import { scratchDir } from '../fixtures/tools.js';

const at = new Date('2026-11-24T00:00:00Z');
const leaf = () => pkiFile('rsa2048.cert.der');

describe('intermediates in a trust store (test PKI end-entity links)', () => {
  it('a signer certificate alone chains through the store intermediates to its root', async () => {
    const trust = await createTrustStore([pkiFile('root.cert.pem')], {
      intermediates: [pkiFile('intermediate.cert.pem')],
    });
    const r = await validateCertificatePath({ certificate: leaf(), trust, time: at });
    expect(r.status).toBe('valid');
    expect(r.chain.map((c) => c.subject.commonName)).toEqual([
      'Nguyễn Văn An',
      'kyso Test Issuing CA',
      'kyso Test Root CA',
    ]);
  });

  it('never trusts an intermediate (nor a root given as one) as an anchor', async () => {
    const onlyIntermediates = await createTrustStore([], {
      intermediates: [pkiFile('intermediate.cert.pem'), pkiFile('root.cert.pem')],
    });
    const r = await validateCertificatePath({ certificate: leaf(), trust: onlyIntermediates, time: at });
    expect(r.status).toBe('no-chain');
    expect(r.problems[0]).toMatch(
      /chains to "CN=kyso Test Root CA,O=kyso test,C=VN", which is not among the trust anchors/,
    );
    const other = await createTrustStore([pkiFile('other-root.cert.pem')], {
      intermediates: [pkiFile('intermediate.cert.pem')],
    });
    expect((await validateCertificatePath({ certificate: leaf(), trust: other, time: at })).status).toBe('no-chain');
  });

  it('merging keeps a certificate that is an anchor anywhere as an anchor only', async () => {
    const a = await createTrustStore([pkiFile('root.cert.pem')]);
    const b = await createTrustStore([], {
      intermediates: [pkiFile('root.cert.pem'), pkiFile('intermediate.cert.pem')],
    });
    const merged = mergeTrustStores([b, a]);
    expect(merged.anchors.map((c) => c.subject.commonName)).toEqual(['kyso Test Root CA']);
    expect(merged.intermediates!.map((c) => c.subject.commonName)).toEqual(['kyso Test Issuing CA']);
  });
});

describe('trust folders', () => {
  it('reads anchors from the folder and anchors/, intermediates from intermediates/', async () => {
    const dir = scratchDir('kyso-trust-folder-');
    mkdirSync(join(dir, 'intermediates'));
    copyFileSync(pkiPath('root.cert.pem'), join(dir, 'root.crt'));
    copyFileSync(pkiPath('intermediate.cert.pem'), join(dir, 'intermediates', 'ca.pem'));
    const trust = await loadTrustFolder(dir);
    expect(trust.anchors.map((c) => c.subject.commonName)).toEqual(['kyso Test Root CA']);
    expect(trust.intermediates!.map((c) => c.subject.commonName)).toEqual(['kyso Test Issuing CA']);
    expect((await validateCertificatePath({ certificate: leaf(), trust, time: at })).status).toBe('valid');
  });

  it('a missing folder: ERR_IO, or an empty store when optional', async () => {
    const e = await loadTrustFolder('/nonexistent/kyso-trust').catch((x: unknown) => x);
    expect(isKysoError(e, 'ERR_IO')).toBe(true);
    expect(await loadTrustFolder('/nonexistent/kyso-trust', { optional: true })).toEqual({ anchors: [] });
  });

  it('the user folder is $KYSO_TRUST_DIR, else under $XDG_CONFIG_HOME or ~/.config', () => {
    expect(userTrustFolder({ KYSO_TRUST_DIR: '/t' })).toBe('/t');
    expect(userTrustFolder({ XDG_CONFIG_HOME: '/cfg' })).toBe('/cfg/kyso/trust');
    expect(userTrustFolder({})).toMatch(/\.config\/kyso\/trust$/);
  });
});
