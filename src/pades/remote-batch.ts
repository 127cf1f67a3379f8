import type { SignatureAlgorithm } from '../core/algorithms.js';
import type { BinaryInput } from '../core/bytes.js';
import { KysoError } from '../core/errors.js';
import { certificateKey } from '../signers/algorithms.js';
import { signHashesRemotely, type RemoteSigningService } from '../signers/remote-signing.js';
import { finishPdfSigning, preparePdfSigning, type PdfSignatureFields } from './sign-pdf.js';

/** Options of {@link signPdfsRemotely}. */
export interface RemotePdfSigningOptions extends PdfSignatureFields {
  service: RemoteSigningService;
  credentialId: string;
  /** Default: PKCS#1 v1.5 with SHA-256 for RSA, ECDSA with the curve's digest for EC. */
  algorithm?: SignatureAlgorithm;
  /** How long the holder has to approve, ms. Default: 5 minutes. */
  deadlineMs?: number;
  pollMs?: number;
  signal?: AbortSignal;
}

/**
 * Signs many PDFs with a remote (hash-signing) service and one approval: prepares every document, sends all
 * their digests in a single request, waits for the holder, then embeds each signature. For a flow that
 * survives a process restart, use the same pieces directly: `preparePdfSigning` (JSON state) →
 * `signHashesRemotely` → `finishPdfSigning`.
 *
 * @example
 * ```ts
 * const signed = await signPdfsRemotely(pdfs, { service: new CscClient({ url, token }), credentialId });
 * ```
 */
export async function signPdfsRemotely(
  pdfs: readonly BinaryInput[],
  o: RemotePdfSigningOptions,
): Promise<Uint8Array[]> {
  const { certificates } = await o.service.credentialInfo(o.credentialId);
  const [certificate, ...chain] = certificates;
  if (!certificate) throw new KysoError('ERR_NO_CERTIFICATE', `credential ${o.credentialId} has no certificate`);
  const algorithm = o.algorithm ?? certificateKey(certificate, 'the credential key').algorithms[0]!;
  const { service, credentialId, deadlineMs, pollMs, signal, algorithm: _a, ...fields } = o;
  const prepared = await Promise.all(
    pdfs.map((pdf) => preparePdfSigning(pdf, { ...fields, certificate, chain, algorithm })),
  );
  const signatures = await signHashesRemotely(
    prepared.map((p) => p.digest),
    {
      service,
      credentialId,
      algorithm,
      ...(deadlineMs !== undefined && { deadlineMs }),
      ...(pollMs !== undefined && { pollMs }),
      ...(signal && { signal }),
    },
  );
  return Promise.all(prepared.map((p, i) => finishPdfSigning(pdfs[i]!, p.state, signatures[i]!)));
}
