/**
 * Type-level tests of the main verbs, as a user of the package sees them (`src/index.ts`, the same types as
 * dist/index.d.ts): `npx tsc --noEmit` (npm run typecheck, in .ci/run) fails when a signature changes in a way
 * that breaks callers; api/kyso.api.md (npm run api:check) records the rest of the surface.
 */
import { describe, expectTypeOf, it } from 'vitest';
import * as kyso from '../../src/index.js';
import * as browser from '../../src/browser.js';
import type {
  BinaryInput,
  Indication,
  KysoErrorCode,
  PdfVerificationReport,
  Signer,
  TimestampResult,
  XmlVerificationReport,
  DetachedVerificationReport,
  SignPdfOptions,
  VerifyPdfOptions,
  SignXmlOptions,
  PdfInspection,
  AddLtvResult,
} from '../../src/index.js';

describe('the main verbs keep their types', () => {
  it('signers', () => {
    expectTypeOf(kyso.loadPkcs12Signer).parameters.toEqualTypeOf<[BinaryInput, kyso.Pkcs12SignerOptions]>();
    expectTypeOf(kyso.loadPkcs12Signer).returns.resolves.toEqualTypeOf<Signer>();
    expectTypeOf(kyso.createCryptoKeySigner).returns.resolves.toEqualTypeOf<Signer>();
    expectTypeOf<Signer['certificate']>().toEqualTypeOf<Uint8Array>();
    expectTypeOf<kyso.Pkcs12SignerOptions>().toHaveProperty('password').toEqualTypeOf<string>();
  });

  it('PDF', () => {
    expectTypeOf(kyso.signPdf).parameters.toEqualTypeOf<[BinaryInput, SignPdfOptions]>();
    expectTypeOf(kyso.signPdf).returns.resolves.toEqualTypeOf<Uint8Array>();
    expectTypeOf<SignPdfOptions>().toHaveProperty('signer').toEqualTypeOf<Signer>();
    expectTypeOf<{ signer: Signer; reason: string; location: string }>().toMatchTypeOf<SignPdfOptions>();
    expectTypeOf(kyso.verifyPdf).parameters.toEqualTypeOf<[BinaryInput, VerifyPdfOptions?]>();
    expectTypeOf(kyso.verifyPdf).returns.resolves.toEqualTypeOf<PdfVerificationReport>();
    expectTypeOf<PdfVerificationReport['indication']>().toEqualTypeOf<Indication>();
    expectTypeOf<{ trust: 'vn' }>().toMatchTypeOf<VerifyPdfOptions>();
    expectTypeOf<{ trust: Uint8Array[] }>().toMatchTypeOf<VerifyPdfOptions>();
    expectTypeOf(kyso.inspectPdf).returns.resolves.toEqualTypeOf<PdfInspection>();
    expectTypeOf(kyso.addLtv).returns.resolves.toEqualTypeOf<AddLtvResult>();
    expectTypeOf<AddLtvResult['pdf']>().toEqualTypeOf<Uint8Array>();
  });

  it('XML, CAdES, time-stamps', () => {
    expectTypeOf(kyso.signXml).parameters.toEqualTypeOf<[string | Uint8Array, SignXmlOptions]>();
    expectTypeOf(kyso.signXml).returns.resolves.toEqualTypeOf<Uint8Array>();
    expectTypeOf(kyso.verifyXml).returns.resolves.toEqualTypeOf<XmlVerificationReport>();
    expectTypeOf(kyso.signDetached).returns.resolves.toEqualTypeOf<Uint8Array>();
    expectTypeOf(kyso.verifyDetached).returns.resolves.toEqualTypeOf<DetachedVerificationReport>();
    expectTypeOf(kyso.timestamp).returns.resolves.toEqualTypeOf<TimestampResult>();
    expectTypeOf<TimestampResult['token']['genTime']>().toEqualTypeOf<Date>();
  });

  it('errors', () => {
    expectTypeOf<kyso.KysoError['code']>().toEqualTypeOf<KysoErrorCode>();
    expectTypeOf<'ERR_WRONG_PASSWORD'>().toMatchTypeOf<KysoErrorCode>();
    expectTypeOf(kyso.isKysoError).guards.toEqualTypeOf<kyso.KysoError>();
  });

  it('the browser entry offers the same verbs with the same types', () => {
    expectTypeOf(browser.signPdf).toEqualTypeOf(kyso.signPdf);
    expectTypeOf(browser.verifyPdf).toEqualTypeOf(kyso.verifyPdf);
    expectTypeOf(browser.loadPkcs12Signer).toEqualTypeOf(kyso.loadPkcs12Signer);
    expectTypeOf(browser.signXml).toEqualTypeOf(kyso.signXml);
  });
});
