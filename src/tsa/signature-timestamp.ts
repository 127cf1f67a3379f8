import type { DigestAlgorithm } from '../core/algorithms.js';
import { OID } from '../core/oids.js';
import { digest } from '../crypto/digest.js';
import { addUnsignedAttribute, parseSignedData } from '../cms/index.js';
import type { TimestampSource } from './timestamp-source.js';

/**
 * Adds a signature-time-stamp (CAdES-T / PAdES B-T) to the first SignerInfo of `cms`: a token from `tsa` over
 * the signature value, as an unsigned attribute. Everything signed keeps its bytes.
 */
export async function addSignatureTimestamp(
  cms: Uint8Array,
  tsa: TimestampSource,
  hash: DigestAlgorithm,
): Promise<Uint8Array> {
  const si = parseSignedData(cms).signerInfos[0]!;
  const token = await tsa.timestamp(await digest(hash, si.signature), hash);
  return addUnsignedAttribute(cms, { oid: OID.signatureTimeStampToken, values: [token.der] });
}
