import { KysoError } from '../core/errors.js';
import { childElements } from './dom.js';
import type { C14nMethod } from './c14n.js';

/**
 * One way of signing a document type: what is signed, which other elements the signature also
 * covers, where the `Signature` goes and what properties it carries. Paths are `/`-separated local
 * names from the root element's children (`DSCKS/NBan`); `@Id` on the signed path's last step names
 * its Id attribute.
 */
export interface ProfileRole {
  /** Role name (`seller`, `buyer`, `tax-authority`, `declarant`…). */
  name: string;
  /**
   * The element an application reads and the signature must cover, as `Path@IdAttribute`
   * (`DLHDon@Id`), or `document` for the whole document (`URI=""`, enveloped).
   */
  signs: string;
  /** Further elements the signature references, as `Path@IdAttribute` (`MCCQT@Id`). */
  alsoSigns?: readonly string[];
  /** Parent of the `Signature`, created (with missing ancestors) when absent. */
  signatureParent: string;
  /** Adds an `Object` with `SignatureProperties/SignatureProperty/SigningTime`, referenced by the signature. */
  signingTimeObject?: boolean;
  /**
   * Path of the element holding this party's tax code (`DLHDon/NDHDon/NBan/MST`): a signing certificate whose
   * `MST:` is another role's party is that party's signature, whatever its place says.
   */
  partyTaxCode?: string;
}

/** A document type a profile signs, recognised by its root element. */
export interface ProfileDocument {
  /** Local name of the root element (several forms may share a rule). */
  roots: readonly string[];
  /** Namespace of the root element, when the authority fixes one. */
  namespace?: string;
  /** The roles, the default first. */
  roles: readonly ProfileRole[];
  /** Ids tried, in order, when the signed element has none and one must be added. */
  defaultIds?: readonly string[];
}

/** A signing profile, as data: a new form is a few lines here, not a code fork. */
export interface ProfileDefinition {
  name: string;
  documents: readonly ProfileDocument[];
  /**
   * Where to create missing elements: `{ CKyDTu: ['HSoKhaiThue'] }` creates `CKyDTu` right after the
   * last of those siblings present (else at the end of its parent).
   */
  createAfter?: Readonly<Record<string, readonly string[]>>;
  /** C14N used for SignedInfo and references. Default: `c14n`. */
  canonicalization?: C14nMethod;
}

/** Names of the built-in profiles. */
export type ProfileName = 'tax' | 'bhxh' | 'einvoice';

const TAX_NS = 'http://kekhaithue.gdt.gov.vn/TKhaiThue';

/**
 * HTKK / eTax declarations (General Department of Taxation): the declaration `HSoKhaiThue[@id]` is
 * signed; the `Signature` goes into `CKyDTu`, the sibling after it. Registrations (`DKyThueDTu` ›
 * `DKyThue`) and notices (`TBaoThueDTu` › `TBaoThue`) follow the same pattern.
 */
export const TAX_PROFILE: ProfileDefinition = {
  name: 'tax',
  documents: [
    {
      roots: ['HSoThueDTu'],
      namespace: TAX_NS,
      defaultIds: ['ID_1'],
      roles: [{ name: 'taxpayer', signs: 'HSoKhaiThue@id', signatureParent: 'CKyDTu' }],
    },
    {
      roots: ['DKyThueDTu'],
      defaultIds: ['ID_1'],
      roles: [{ name: 'taxpayer', signs: 'DKyThue@id', signatureParent: 'CKyDTu' }],
    },
    {
      roots: ['TBaoThueDTu'],
      defaultIds: ['ID_1'],
      roles: [{ name: 'tax-authority', signs: 'TBaoThue@id', signatureParent: 'CKyDTu' }],
    },
  ],
  createAfter: { CKyDTu: ['HSoKhaiThue', 'DKyThue', 'TBaoThue'] },
};

/**
 * Vietnam Social Security (BHXH): each form signs the whole document into `<Form>/Cky`; the package
 * `BHXHDienTu.xml` (`Hoso`) is signed whole into `Hoso/CKy_Dvi`, with a SigningTime property.
 */
export const BHXH_PROFILE: ProfileDefinition = {
  name: 'bhxh',
  documents: [
    {
      roots: ['Hoso'],
      roles: [{ name: 'unit', signs: 'document', signatureParent: 'CKy_Dvi', signingTimeObject: true }],
    },
    {
      roots: ['TK1-TS', 'D01-TS', 'D02-TS', 'D03-TS', 'D05-TS', 'TK3-TS', 'D02-LT', 'D03-LT'],
      roles: [{ name: 'unit', signs: 'document', signatureParent: 'Cky' }],
    },
  ],
};

/**
 * E-invoices (Decree 123/2020, Circular 78/2021, GDT Decision 1450): the seller signs `DLHDon[@Id]`
 * with a SigningTime object into `DSCKS/NBan`; the buyer into `DSCKS/NMua`; the tax authority into
 * `DSCKS/CQT`, covering `DLHDon`, its SigningTime object and `MCCQT`. Seller and buyer are told apart by
 * the tax code (`MST`) of their certificates, not only by the place of their signatures.
 */
export const EINVOICE_PROFILE: ProfileDefinition = {
  name: 'einvoice',
  documents: [
    {
      roots: ['HDon'],
      roles: [
        {
          name: 'seller',
          signs: 'DLHDon@Id',
          signatureParent: 'DSCKS/NBan',
          signingTimeObject: true,
          partyTaxCode: 'DLHDon/NDHDon/NBan/MST',
        },
        {
          name: 'buyer',
          signs: 'DLHDon@Id',
          signatureParent: 'DSCKS/NMua',
          signingTimeObject: true,
          partyTaxCode: 'DLHDon/NDHDon/NMua/MST',
        },
        {
          name: 'tax-authority',
          signs: 'DLHDon@Id',
          alsoSigns: ['MCCQT@Id'],
          signatureParent: 'DSCKS/CQT',
          signingTimeObject: true,
        },
      ],
    },
  ],
  createAfter: { DSCKS: ['DLHDon', 'MCCQT', 'DLQRCode'], NMua: ['NBan'], CQT: ['NMua', 'NBan'] },
};

/** The built-in profiles by name. */
export const PROFILES: Readonly<Record<ProfileName, ProfileDefinition>> = {
  tax: TAX_PROFILE,
  bhxh: BHXH_PROFILE,
  einvoice: EINVOICE_PROFILE,
};

/** A profile given by name or as data. */
export function resolveProfile(profile: ProfileName | ProfileDefinition): ProfileDefinition {
  if (typeof profile !== 'string') return profile;
  const p = PROFILES[profile];
  if (!p)
    throw new KysoError(
      'ERR_INVALID_ARGUMENT',
      `unknown profile ${String(profile)}; use ${Object.keys(PROFILES).join(', ')}`,
    );
  return p;
}

/** The profile document rule that applies to `root`, or `undefined`. */
export function matchDocument(profile: ProfileDefinition, root: Element): ProfileDocument | undefined {
  return profile.documents.find(
    (d) => d.roots.includes(root.localName) && (d.namespace === undefined || d.namespace === (root.namespaceURI ?? '')),
  );
}

/** The built-in profile whose documents include `root`, or `undefined`. */
export function detectProfile(root: Element): ProfileDefinition | undefined {
  return Object.values(PROFILES).find((p) => matchDocument(p, root));
}

/** A `Path@IdAttribute` split. */
export function splitSignedPath(spec: string): { path: string; idAttribute?: string } {
  const at = spec.lastIndexOf('@');
  return at === -1 ? { path: spec } : { path: spec.slice(0, at), idAttribute: spec.slice(at + 1) };
}

/**
 * The elements at `path` below `root` (local names, no namespace test beyond the one the root rule
 * fixes). An application that reads `HDon/DLHDon` reads exactly these.
 */
export function elementsAtPath(root: Element, path: string): Element[] {
  let level: Element[] = [root];
  for (const step of path.split('/').filter(Boolean)) {
    level = level.flatMap((el) => childElements(el).filter((c) => c.localName === step));
  }
  return level;
}
