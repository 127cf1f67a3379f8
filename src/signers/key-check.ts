import { describeAlgorithm, type SignatureAlgorithm } from '../core/algorithms.js';
import { KysoError } from '../core/errors.js';
import { randomBytes } from '../crypto/webcrypto.js';
import { certificateFacts } from '../pki/certificate-facts.js';
import { verifyWithCertificate } from '../pki/public-key.js';
import type { Signer } from './signer.js';

/**
 * Signs a random probe and verifies it with the certificate's public key: it proves the key belongs to the
 * certificate, and works for keys that cannot be exported (WebCrypto non-extractable keys, tokens).
 *
 * @throws KysoError `ERR_KEY_CERT_MISMATCH`
 */
export async function assertKeyMatchesCertificate(signer: Signer): Promise<void> {
  const facts = certificateFacts(signer.certificate);
  const algorithm: SignatureAlgorithm | undefined = signer.algorithms[0];
  if (!algorithm) throw new KysoError('ERR_UNSUPPORTED_KEY', 'the signer offers no algorithm');
  const keyType = algorithm.scheme === 'ECDSA' ? 'EC' : 'RSA';
  if (facts.key.type !== keyType) {
    throw new KysoError(
      'ERR_KEY_CERT_MISMATCH',
      `the private key is ${keyType} but the certificate holds an ${facts.key.type} key`,
    );
  }
  const probe = randomBytes(32);
  const raw = await signer.sign(probe, algorithm);
  const check = await verifyWithCertificate(facts, algorithm, raw, probe, { ecdsa: 'r||s' });
  if (!check.valid) {
    throw new KysoError(
      'ERR_KEY_CERT_MISMATCH',
      `the private key does not belong to the certificate (a ${describeAlgorithm(algorithm)} probe signature did not verify)`,
    );
  }
}
