import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  FINDING_CODES,
  loadPkcs12Signer,
  signPdf,
  verifyPdf,
  type PdfVerificationReport,
  type Signer,
} from '../../src/index.js';
import { P12_PASSWORD, pkiFile } from '../fixtures/pki.js';
import { PdfReader } from '../../src/pdf/reader.js';
import { findSignatureFields } from '../../src/pdf/signature-scan.js';
import { addToFirstPage, annotation, appendRawUpdate, appendUpdate, formDocument } from '../fixtures/pdf-updates.js';

type Schema = Record<string, unknown>;
const schema = JSON.parse(
  readFileSync(new URL('../../docs/pdf-verification-report.schema.json', import.meta.url), 'utf8'),
) as Schema;

/**
 * The JSON Schema keywords the report's schema uses, checked strictly: enough to hold the report to its
 * documentation (an undocumented property fails, as `additionalProperties` is false throughout).
 */
function validate(value: unknown, s: Schema, path = '$'): string[] {
  if (typeof s.$ref === 'string')
    return validate(value, (schema.$defs as Record<string, Schema>)[s.$ref.replace('#/$defs/', '')]!, path);
  const errors: string[] = [];
  if ('const' in s && value !== s.const) errors.push(`${path}: not ${JSON.stringify(s.const)}`);
  if (Array.isArray(s.enum) && !s.enum.includes(value))
    errors.push(`${path}: ${JSON.stringify(value)} not in ${JSON.stringify(s.enum)}`);
  if (Array.isArray(s.oneOf)) {
    const ok = (s.oneOf as Schema[]).filter((o) => validate(value, o, path).length === 0).length;
    if (ok !== 1) errors.push(`${path}: matches ${ok} of oneOf`);
  }
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
    const kind =
      value === null ? 'null' : Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value;
    if (!types.some((t) => t === kind || (t === 'number' && kind === 'integer')))
      return [...errors, `${path}: ${kind}, expected ${types.join('|')}`];
  }
  if (
    s.format === 'date-time' &&
    (typeof value !== 'string' || Number.isNaN(Date.parse(value)) || !/^\d{4}-\d\d-\d\dT/.test(value))
  )
    errors.push(`${path}: not a date-time`);
  if (Array.isArray(value)) {
    if (typeof s.minItems === 'number' && value.length < s.minItems) errors.push(`${path}: too short`);
    if (typeof s.maxItems === 'number' && value.length > s.maxItems) errors.push(`${path}: too long`);
    if (s.items) value.forEach((v, i) => errors.push(...validate(v, s.items as Schema, `${path}[${i}]`)));
  } else if (value && typeof value === 'object') {
    const props = (s.properties ?? {}) as Record<string, Schema>;
    for (const r of (s.required ?? []) as string[]) if (!(r in value)) errors.push(`${path}.${r}: required`);
    for (const [k, v] of Object.entries(value)) {
      if (props[k]) errors.push(...validate(v, props[k], `${path}.${k}`));
      else if (s.additionalProperties === false) errors.push(`${path}.${k}: not in the schema`);
    }
  }
  return errors;
}

/** The report as `kyso verify --json` prints it. */
const asJson = (r: PdfVerificationReport): unknown => JSON.parse(JSON.stringify(r));

let signer: Signer;
let signed: Uint8Array;
beforeAll(async () => {
  signer = await loadPkcs12Signer(pkiFile('rsa2048.p12'), { password: P12_PASSWORD });
  signed = await signPdf(await formDocument(), { signer, reason: 'Phê duyệt', location: 'Hà Nội' });
});

describe('the JSON report follows docs/pdf-verification-report.schema.json', () => {
  it('the validator itself rejects what the schema does not allow', async () => {
    const json = asJson(await verifyPdf(signed, { trust: [pkiFile('root.cert.pem')] })) as Record<string, unknown>;
    expect(validate(json, schema)).toEqual([]);
    expect(validate({ ...json, surprise: 1 }, schema)).toEqual(['$.surprise: not in the schema']);
    expect(validate({ ...json, indication: 'PASSED' }, schema).length).toBe(1);
    expect(validate({ ...json, schemaVersion: 2 }, schema).length).toBe(1);
  });
  const cases: [string, () => Promise<PdfVerificationReport>][] = [
    ['a passed signature with its chain', () => verifyPdf(signed, { trust: [pkiFile('root.cert.pem')] })],
    ['no trust anchors', () => verifyPdf(signed)],
    ['tampered bytes', () => verifyPdf(signed.map((b, i) => (i === 100 ? b ^ 1 : b)))],
    [
      'a certification with later reported changes',
      async () =>
        verifyPdf(
          appendUpdate(await signPdf(await formDocument(), { signer, certify: 3 }), (w, r) =>
            addToFirstPage(w, r, annotation('Text', [10, 10, 30, 30])),
          ),
          { trust: [pkiFile('root.cert.pem')] },
        ),
    ],
    ['an unsigned document', async () => verifyPdf(await formDocument())],
    [
      'PAdES B-LTA with a document timestamp and DSS (pyHanko)',
      () =>
        verifyPdf(
          readFileSync(new URL('../fixtures/pdf-corpus/pyhanko-pades-b-lta-two-signatures.pdf', import.meta.url)),
        ),
    ],
    [
      'a hidden signature',
      async () => {
        const report = await verifyPdf(
          appendRawUpdate(signed, [
            [
              900,
              PdfReader.open(signed).resolveDict(findSignatureFields(PdfReader.open(signed)).signed[0]!.signatureRef)!,
            ],
          ]),
        );
        expect(report.hiddenSignatures).toHaveLength(1);
        return report;
      },
    ],
  ];
  for (const [what, make] of cases) {
    it(what, async () => expect(validate(asJson(await make()), schema)).toEqual([]));
  }
});

describe('findings', () => {
  it('the schema lists exactly the finding codes the verifiers use (FINDING_CODES), each once', () => {
    const finding = (schema.$defs as Record<string, { properties: { code: { enum: string[] } } }>).finding!;
    expect(finding.properties.code.enum).toEqual([...FINDING_CODES]);
    expect(new Set(FINDING_CODES).size).toBe(FINDING_CODES.length);
  });
  it('every error and warning of a report is a finding with a code; the text lists are their messages', async () => {
    const tampered = await verifyPdf(
      signed.map((b, i) => (i === 100 ? b ^ 1 : b)),
      { trust: [pkiFile('root.cert.pem')] },
    );
    const s = tampered.signatures[0]!;
    expect(
      s.findings
        .filter((f) => f.severity === 'error')
        .map((f) => f.message)
        .sort(),
    ).toEqual([...s.errors].sort());
    expect(s.findings.filter((f) => f.severity === 'warning').map((f) => f.message)).toEqual(s.warnings);
    expect(s.findings).toContainEqual(
      expect.objectContaining({
        code: 'digest-mismatch',
        severity: 'error',
        indication: 'TOTAL_FAILED',
        subIndication: 'HASH_FAILURE',
      }),
    );
    expect(tampered.findings).toEqual([]);
    const unsigned = await verifyPdf(await formDocument());
    expect(unsigned.findings).toEqual([
      expect.objectContaining({
        code: 'no-signature',
        indication: 'INDETERMINATE',
        subIndication: 'SIGNED_DATA_NOT_FOUND',
      }),
    ]);
  });
});
