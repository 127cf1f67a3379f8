import type { SignatureAlgorithm } from '../core/algorithms.js';
import { fromBase64, toBase64, toBytes, type BinaryInput } from '../core/bytes.js';
import { KysoError } from '../core/errors.js';
import { digest } from '../crypto/digest.js';
import { rawSignatureValue } from '../crypto/ecdsa-signature.js';
import { randomBytes } from '../crypto/webcrypto.js';
import { splitCertificates } from '../pki/certificate.js';
import { certificateKey } from '../signers/algorithms.js';
import type { Signer } from '../signers/signer.js';
import { signXml, type SignXmlOptions } from './sign-xml.js';

/** The serialisable state between {@link prepareXmlSigning} and {@link finishXmlSigning}. */
export interface XmlSigningState {
  kind: 'kyso.xml-signing';
  version: 1;
  /** The signed document with a stand-in SignatureValue, base64. */
  xml: string;
  /** The stand-in value, base64 (random, so that it occurs once). */
  placeholder: string;
  algorithm: SignatureAlgorithm;
  /** Bytes of the signature value: the RSA modulus size, or 2 × the curve size for ECDSA (r||s). */
  valueLength: number;
}

/** Options of {@link prepareXmlSigning}: {@link signXml}'s, with the certificate side of a key that signs elsewhere. */
export type PrepareXmlSigningOptions = Omit<SignXmlOptions, 'signer' | 'tsa'> & {
  certificate: BinaryInput | string;
  chain?: readonly (BinaryInput | string)[];
  /** Default: the key's natural algorithm (RSA PKCS#1 v1.5 / ECDSA) with `hash`. */
  algorithm?: SignatureAlgorithm;
};

/**
 * Stage one of signing an XML declaration with a key elsewhere (remote service, token in another process):
 * everything of {@link signXml} but the private-key operation. Returns the canonical SignedInfo to sign, its
 * digest, and a JSON-serialisable state for {@link finishXmlSigning}.
 */
export async function prepareXmlSigning(
  xml: string | Uint8Array,
  options: PrepareXmlSigningOptions,
): Promise<{ toBeSigned: Uint8Array; digest: Uint8Array; algorithm: SignatureAlgorithm; state: XmlSigningState }> {
  const [certificate, ...rest] = splitCertificates(options.certificate);
  const key = certificateKey(certificate!);
  const hash = options.hash ?? 'SHA-256';
  const algorithm = options.algorithm ?? key.algorithms.find((a) => a.hash === hash)!;
  const placeholder = randomBytes(key.signatureLength);
  let toBeSigned: Uint8Array | undefined;
  // A signer that records what it is asked to sign and answers with a stand-in value of the right size.
  const capturing: Signer = {
    certificate: certificate!,
    chain: [...rest, ...(options.chain ?? []).flatMap((c) => splitCertificates(c))],
    algorithms: [algorithm],
    async sign(data) {
      toBeSigned = data.slice();
      return placeholder;
    },
  };
  const { certificate: _c, chain: _ch, algorithm: _a, ...signOptions } = options;
  const signed = await signXml(xml, {
    ...signOptions,
    hash: algorithm.hash,
    pss: algorithm.scheme === 'RSA-PSS',
    signer: capturing,
  });
  if (!toBeSigned) throw new KysoError('ERR_SIGNING_STATE', 'signXml did not ask for a signature');
  return {
    toBeSigned,
    digest: await digest(algorithm.hash, toBeSigned),
    algorithm,
    state: {
      kind: 'kyso.xml-signing',
      version: 1,
      xml: toBase64(signed),
      placeholder: toBase64(placeholder),
      algorithm,
      valueLength: key.signatureLength,
    },
  };
}

/**
 * Stage two: puts the signature value (RSA value, or ECDSA as r||s or DER) into the prepared document.
 *
 * @throws KysoError `ERR_SIGNING_STATE` when the state is not usable, `ERR_SIGNER_FAILED` for a value of the wrong size.
 */
export function finishXmlSigning(state: XmlSigningState, signature: BinaryInput): Uint8Array {
  if (state?.kind !== 'kyso.xml-signing' || state.version !== 1)
    throw new KysoError('ERR_SIGNING_STATE', 'not a kyso XML signing state (version 1)');
  const value = rawSignatureValue(
    toBytes(signature, 'signature'),
    state.algorithm.scheme === 'ECDSA',
    state.valueLength,
    'the signature value',
  );
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(fromBase64(state.xml));
  const at = text.indexOf(state.placeholder);
  if (at < 0 || text.indexOf(state.placeholder, at + 1) >= 0)
    throw new KysoError(
      'ERR_SIGNING_STATE',
      'the prepared document does not hold its stand-in signature value exactly once',
    );
  return new TextEncoder().encode(text.slice(0, at) + toBase64(value) + text.slice(at + state.placeholder.length));
}
