import { vietnamTime } from '../time.js';
import type { Catalogue } from './catalogue.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const okOr = (v: boolean | null, yes: string, no: string) => (v === null ? 'not checked' : v ? yes : no);

/** English: the wording `kyso verify` has always printed, for people and for logs. */
export const en: Catalogue = {
  locale: 'en',
  labelWidth: 12,
  verdict: { TOTAL_PASSED: 'TOTAL_PASSED', INDETERMINATE: 'INDETERMINATE', TOTAL_FAILED: 'TOTAL_FAILED' },
  timestampVerdict: { TOTAL_PASSED: 'TOTAL_PASSED', INDETERMINATE: 'INDETERMINATE', TOTAL_FAILED: 'TOTAL_FAILED' },
  subIndication: {
    FORMAT_FAILURE: 'the signature is not in the form the standard requires, or the file around it is broken',
    HASH_FAILURE: 'the signed content was altered after signing: it no longer matches the signature',
    SIG_CRYPTO_FAILURE: 'the signature value does not check out against the signer’s certificate',
    SIGNED_DATA_NOT_FOUND: 'the content the signature refers to cannot be found',
    NO_SIGNING_CERTIFICATE_FOUND: 'the signer’s certificate is not in the signature, so the signer is unknown',
    NO_CERTIFICATE_CHAIN_FOUND:
      'the signer’s certificate does not lead to a trusted certification authority (or no trust anchors were chosen)',
    CHAIN_CONSTRAINTS_FAILURE:
      'a certificate on the way to the trusted authority is not allowed to vouch for the signer',
    CERTIFICATE_CHAIN_GENERAL_FAILURE: 'the signer’s certificate could not be confirmed by a trusted authority',
    CRYPTO_CONSTRAINTS_FAILURE: 'the signature uses an algorithm or key size that is no longer considered safe',
    SIG_CONSTRAINTS_FAILURE: 'the signature breaks a rule of the validation policy (e.g. it names another certificate)',
    OUT_OF_BOUNDS_NO_POE: 'the signer’s certificate has expired and nothing proves the signature was made before that',
    OUT_OF_BOUNDS_NOT_REVOKED: 'the signer’s certificate has expired (it was not revoked)',
    REVOKED: 'the signer’s certificate was revoked before the signature was made',
    REVOKED_NO_POE: 'the signer’s certificate was revoked and nothing proves the signature was made before that',
    TRY_LATER: 'the revocation status of the certificate is not available yet; try again later',
    EXPIRED: 'the signer’s certificate had expired at the time that counts',
    NOT_YET_VALID: 'the signer’s certificate was not yet valid at the time that counts',
    REVOCATION_OUT_OF_BOUNDS_NO_POE:
      'the revocation data at hand is too old for the time that counts, and no proof shows the signature existed before',
  },
  finding: {
    'format-invalid': 'the signature is not formed as its standard requires',
    'byte-range-invalid': 'the signed byte range is not valid',
    'signer-count': 'the signature does not have the expected number of signers',
    'content-type-mismatch': 'the declared content type does not match',
    'attribute-duplicate': 'a signature attribute is repeated',
    'algorithm-identifier-nonstandard': 'an algorithm identifier is not written as the standard says',
    'subfilter-unusual': 'an unusual signature format (SubFilter)',
    'contents-trailing-bytes': 'bytes follow the signature',
    'digest-mismatch': 'the content changed after signing (digest mismatch)',
    'signature-invalid': 'the signature value is wrong',
    'signing-certificate-mismatch': 'the signature names another certificate than the one that signed',
    'signing-certificate-absent': 'the signing-certificate attribute PAdES requires is missing',
    'signer-certificate-not-found': 'the signer’s certificate is not at hand to check the signature',
    'signed-data-not-found': 'what was signed cannot be found',
    'algorithm-unsupported': 'an algorithm that is not supported or cannot be checked',
    'hash-weak': 'a hash function that is no longer safe (e.g. SHA-1)',
    'key-weak': 'the signer’s key is shorter than the policy allows',
    'no-trust-anchors': 'no trusted root was chosen',
    'chain-invalid': 'the signer’s certificate path cannot be validated',
    revoked: 'the signer’s certificate was revoked before signing',
    'revoked-no-poe': 'the certificate was revoked and nothing proves the signature was made before',
    'revocation-unknown': 'the revocation status of a certificate is not established',
    'revocation-required': 'the policy requires revocation data that is not at hand',
    'revocation-algorithm-refused':
      'an OCSP response or CRL is signed with an algorithm or key the policy refuses, so it proves no revocation status',
    'expired-poe': 'the certificate has expired, but a time-stamp proves the signature was made while it was valid',
    'algorithm-accepted-by-date':
      'an old algorithm (SHA-1) accepted because the certificate was issued before its cutoff',
    'revoked-after-poe': 'the certificate was revoked after the time-stamped signing time',
    'claimed-time-outside-validity': 'the claimed signing time is outside the certificate’s validity',
    'timestamp-invalid': 'a time-stamp does not verify',
    'timestamp-algorithm-refused':
      'a time-stamp uses an algorithm or key the policy refuses, so it proves no signing time',
    'timestamp-later-than-signing-time': 'the time-stamp is much later than the claimed signing time',
    'changes-not-permitted': 'the document was changed after signing in a way that is not permitted',
    'changes-reported': 'the document has changes after signing worth reading',
    'signature-misplaced': 'the signature is in the wrong place or not the role’s',
    'signing-time-unsigned': 'the signing time is not covered by the signature',
    'reference-dotnet-rule': 'a reference matches only .NET’s reading of the rules',
    'unsigned-namesake': 'an unsigned element has the same name as a signed one',
    'unsigned-comments': 'the signed part holds comments the signature does not cover',
    'policy-not-met': 'the signature does not meet the validation policy',
    'policy-not-applicable': 'a policy setting does not apply to this kind of document',
    'document-repaired': 'the file structure is broken; the document was read by scanning its objects',
    'hidden-signatures': 'signatures outside the form, or superseded',
    'signatures-outside-form': 'signatures no longer cover the document',
    'too-many-signatures': 'too many signatures; only some were verified',
    'no-signature': 'the document has no signature',
    note: 'note',
  },
  changedAfterSigning: 'the document was changed after signing in a way the signature does not allow',
  change: {
    signature: 'a signature or signature field was added',
    'document-timestamp': 'a document timestamp was added',
    'form-field': 'a form field was filled in or changed',
    dss: 'validation data (certificates, revocation) was added',
    annotation: 'a comment or annotation was added or removed',
    metadata: 'the document’s description (title, author…) changed',
    'page-content': 'what a page shows changed',
    pages: 'pages were added, removed, reordered or redrawn',
    catalog: 'the document’s structure changed',
    trailer: 'the file’s closing structure changed',
    'object-overwritten': 'part of the signed content was overwritten',
    'object-defined-late': 'content the signed version pointed to was supplied afterwards',
    'object-deleted': 'part of the signed content was deleted',
    'appended-without-xref': 'data was appended to the file outside a proper update',
    'trailing-bytes': 'unexplained bytes were appended to the file',
    'unreadable-revision': 'a version of the document cannot be read',
  },
  changeStatus: { permitted: 'permitted', reported: 'reported', 'not-permitted': 'NOT PERMITTED' },
  coverage: {
    'whole-document': 'covers the whole document',
    'permitted-changes': 'later changes, all permitted',
    'changes-reported': 'later changes, permitted but worth reading',
    'not-permitted-changes': 'later changes, NOT permitted',
  },
  chainStatus: {
    valid: 'valid',
    'no-chain': 'no-chain',
    expired: 'expired',
    'not-yet-valid': 'not-yet-valid',
    'signature-invalid': 'signature-invalid',
    'not-ca': 'not-ca',
    'key-usage': 'key-usage',
    revoked: 'revoked',
    constraints: 'constraints',
    algorithm: 'algorithm',
    'revocation-unknown': 'revocation-unknown',
  },
  level: { 'B-B': 'PAdES B-B', 'B-T': 'PAdES B-T', 'B-LT': 'PAdES B-LT', 'B-LTA': 'PAdES B-LTA' },
  docMdp: {
    1: 'no changes allowed',
    2: 'form filling and signing allowed',
    3: 'form filling, signing and annotations allowed',
  },
  label: {
    signer: 'Signer',
    organisation: 'Organisation',
    issuer: 'Issuer',
    certificate: 'Certificate',
    signedAt: 'Signed at',
    timestamp: 'Timestamp',
    reason: 'Reason',
    location: 'Location',
    integrity: 'Integrity',
    algorithms: 'Algorithms',
    trust: 'Trust',
    level: 'Level',
    certifies: 'Certifies',
    locks: 'Locks',
    coverage: 'Coverage',
    why: 'Why',
    signedData: 'Signed data',
    tsa: 'TSA',
    serial: 'Serial',
  },
  text: {
    signatureTitle: ({ kind, index, field, hidden, role }) => {
      const title = {
        signature: 'Signature',
        certification: 'Certification signature',
        'document-timestamp': 'Document timestamp',
        hidden: 'Hidden signature',
      }[kind];
      const where = hidden
        ? hidden === 'superseded'
          ? ' (an earlier version of a redefined signature dictionary)'
          : ' (in no signature field of the form)'
        : ` "${field}"`;
      return `${title} #${index}${where}${role ? ` [${role}]` : ''}`;
    },
    role: (r) => r,
    pdfHead: ({ signatures, revisions, orphans }) => {
      const counts = `${plural(signatures, 'signature')}${orphans ? ' in the form' : ''}, ${plural(revisions, 'revision')}`;
      return orphans
        ? `${plural(orphans, 'signature')} no longer cover${orphans === 1 ? 's' : ''} the document (${counts})`
        : counts;
    },
    xmlHead: ({ signatures, profile }) =>
      `${plural(signatures, 'XML signature')}${profile ? `, profile ${profile}` : ''}`,
    xmlSignatureTitle: ({ index, path, role }) => `Signature #${index} at ${path}${role ? ` (${role})` : ''}`,
    detachedHead: 'detached signature',
    detachedSigners: (n) => `${n} signers`,
    detachedSignerTitle: (n) => `Signer #${n}`,
    timestampHead: 'time-stamp',
    time: (d) => {
      const t = vietnamTime(d);
      return `${t.year}-${t.month}-${t.day} ${t.hour}:${t.minute}:${t.second} (Vietnam time)`;
    },
    day: (d) => {
      const t = vietnamTime(d);
      return `${t.year}-${t.month}-${t.day}`;
    },
    claimedTime: ({ source, validThen }) =>
      `claimed, ${source === 'signing-time' ? 'CMS signing-time' : '/M'}${validThen === undefined ? '' : validThen ? ', certificate valid then' : ', certificate NOT valid then'}`,
    timestampLine: ({ time, tsa, valid }) => `${time ?? '?'}${tsa ? ` by ${tsa}` : ''}: ${valid ? 'valid' : 'INVALID'}`,
    certificate: ({ from, to, key, keyUsage, serial }) =>
      `${from} – ${to}, ${key}${keyUsage ? `, ${keyUsage}` : ''}, serial ${serial}`,
    pdfIntegrity: (i) =>
      `ByteRange ${i.byteRange ? 'ok' : 'BROKEN'}, format ${i.format ? 'ok' : 'BROKEN'}, digest ${okOr(i.digest, 'matches', 'MISMATCH')}, signature ${okOr(i.signatureValue, 'valid', 'INVALID')}, signing certificate attribute ${i.signingCertificate === 'mismatch' ? 'MISMATCH' : i.signingCertificate}`,
    digestAlgorithm: (d) => `digest ${d}`,
    trustChain: (anchor) => `chain to "${anchor}"`,
    certifies: (p) => `DocMDP P=${p} (${en.docMdp[p]})`,
    locks: ({ action, fields }) =>
      action === 'All' ? 'every field' : `${action === 'Include' ? '' : 'all fields but '}${fields.join(', ')}`,
    signsRevision: (n) => ` (signs revision ${n})`,
    change: ({ status, detail }) => `${status === 'not-permitted' ? 'NOT PERMITTED' : 'reported'}: ${detail}`,
    emptyFields: (names) => `empty signature fields: ${names.join(', ')}`,
    xmlSigningTime: ({ time, signed }) => `${time}${signed ? '' : ' (not covered by the signature)'}`,
    xmlIntegrity: ({ ok, references }) =>
      `${ok ? 'every reference and the signature value check out' : 'BROKEN'}; references: ${references.map((r) => `${r.uri || '""'} ${r.ok ? 'ok' : 'MISMATCH'}`).join(', ')}`,
    xmlSignedWithoutProfile: (paths) =>
      `${paths.join(', ') || 'none'} (no profile says which element an application reads)`,
    xmlSignedData: ({ signed, altered, what }) =>
      signed
        ? `exactly ${what}`
        : altered
          ? `${what} — the signature references it, but it changed after signing (digest mismatch)`
          : `NOT the ${what} an application reads`,
    detachedSigner: (name) => `signed by ${name}`,
    timestampImprint: (ok) => (ok ? 'the time-stamp is over exactly this file' : 'the time-stamp is over other data'),
    unreadable: ({ message, code }) => `FAILED — ${message} [${code}]`,
    technicalDetail: '',
  },
};
