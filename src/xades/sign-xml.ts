import type { DigestAlgorithm, SignatureAlgorithm } from '../core/algorithms.js';
import { toBase64, toHex } from '../core/bytes.js';
import { KysoError } from '../core/errors.js';
import { digest } from '../crypto/digest.js';
import { randomBytes } from '../crypto/webcrypto.js';
import { chooseAlgorithm, type Signer } from '../signers/signer.js';
import type { TimestampSource } from '../tsa/timestamp-source.js';
import { signatureUri, XADES_SIGNED_PROPERTIES_TYPE } from '../xml/algorithms.js';
import { canonicalize, type C14nMethod } from '../xml/c14n.js';
import {
  childElements,
  dsigChildren,
  elementsById,
  elementsInOrder,
  parseXml,
  utf8,
  type ParsedXml,
} from '../xml/dom.js';
import {
  detectProfile,
  elementsAtPath,
  matchDocument,
  resolveProfile,
  splitSignedPath,
  type ProfileDefinition,
  type ProfileName,
  type ProfileRole,
} from '../xml/profiles.js';
import { referenceOctets, resolveReferenceUri, type ReferenceTransform } from '../xml/references.js';
import type { ElementSpan, XmlLimits } from '../xml/scan.js';
import {
  formatVietnamTime,
  renderSignature,
  renderSigningTimeObject,
  renderXadesObject,
  type SignatureTemplate,
  type TemplateReference,
} from '../xml/signature-template.js';

/** Options of {@link signXml}. */
export interface SignXmlOptions {
  /** Who signs. Its key never leaves it: kyso hands it the canonical SignedInfo bytes. */
  signer: Signer;
  /**
   * Placement rules by name or as data; `auto` takes the built-in profile whose documents have this root element
   * and namespace, as `verifyXml` does, so that what is signed is what its verifier expects. Default: none
   * (whole document, Signature appended to the root).
   */
  profile?: ProfileName | ProfileDefinition | 'auto';
  /** The profile role (`seller`, `buyer`, `tax-authority`…). Default: the profile's first role. */
  role?: string;
  /** What the main Reference points at: `''` (whole document) or `#id`. Default: from the profile, else `''`. */
  reference?: { uri: string };
  /**
   * Where the Signature is appended: a path of local names, absolute (`/HDon/DSCKS/NBan`) or from the
   * root (`DSCKS/NBan`); missing elements are created. Default: from the profile, else the root.
   */
  location?: { path: string };
  /** C14N for SignedInfo and the references. Default: the profile's, else `c14n`. */
  canonicalization?: 'c14n' | 'c14n-with-comments' | 'exc-c14n';
  /** Digest for references and the signature. Default: SHA-256. */
  hash?: DigestAlgorithm;
  /** RSA-PSS (RFC 6931 `sha256-rsa-MGF1`…) instead of PKCS#1 v1.5 for an RSA key. Default: false. */
  pss?: boolean;
  /** Permit `hash: 'SHA-1'` (RSA-SHA1, for old receivers only). Default: false. */
  allowSha1?: boolean;
  /** The signing time written into the signature, rendered in UTC+07:00. Default: now. */
  signingTime?: Date;
  /** Add a SigningTime `Object` even when the profile does not ask for one. Default: the profile's rule. */
  signingTimeObject?: boolean;
  /** Put the signer's chain into KeyInfo/X509Data after the certificate. Default: false. */
  includeChain?: boolean;
  /** Add XAdES-BES SignedProperties (SigningTime, SigningCertificateV2). Default: false (true with `tsa`). */
  xades?: boolean;
  /**
   * Time-stamps the SignatureValue through this RFC 3161 source and embeds the token as the XAdES
   * SignatureTimeStamp (XAdES-T; implies `xades`). Default: none.
   */
  tsa?: TimestampSource;
  /** The Signature's `Id`. Default: a random `sig-…`. */
  signatureId?: string;
  /** Parser caps for the input. */
  limits?: XmlLimits;
}

interface Edit {
  from: number;
  to: number;
  text: string;
}

interface Plan {
  mainUri: string;
  extraUris: string[];
  parentPath: string[];
  createAfter: Readonly<Record<string, readonly string[]>>;
  canonicalization: C14nMethod;
  signingTimeObject: boolean;
  /** An Id attribute to add to the signed element, which has none. */
  idEdit?: IdEdit;
}

interface IdEdit {
  el: Element;
  attr: string;
  id: string;
}

/** Where the Signature goes: into `parent` (after `after`, else at its end), inside `missing` new elements. */
interface Placement {
  parent: Element;
  missing: string[];
  after?: Element;
}

/**
 * Signs an XML document with an enveloped XMLDSig signature and returns the signed document as UTF-8
 * bytes. The input text is kept byte for byte: the `Signature` (and any element the profile creates
 * for it) is inserted into the original text, never re-serialised from a DOM.
 *
 * @example
 * ```ts
 * const signed = await signXml(invoiceXml, { signer, profile: 'einvoice' }); // seller, into DSCKS/NBan
 * const declared = await signXml(declarationXml, { signer, profile: 'tax', signingTime: new Date() });
 * ```
 */
export async function signXml(xml: string | Uint8Array, options: SignXmlOptions): Promise<Uint8Array> {
  const { signer } = options ?? ({} as SignXmlOptions);
  if (!signer || typeof signer.sign !== 'function' || !(signer.certificate instanceof Uint8Array)) {
    throw new KysoError(
      'ERR_INVALID_ARGUMENT',
      'signXml needs options.signer (a Signer with a certificate and sign())',
    );
  }
  const hash = options.hash ?? 'SHA-256';
  if (hash === 'SHA-1' && !options.allowSha1) {
    throw new KysoError(
      'ERR_UNSUPPORTED_ALGORITHM',
      'RSA-SHA1 is refused unless allowSha1 is set (old receivers only)',
    );
  }
  const algorithm = chooseAlgorithm(signer, { hash, pss: options.pss ?? false });
  const parsed = parseXml(xml, options.limits);
  const plan = planSigning(parsed, options);

  const signatureId = options.signatureId ?? `sig-${toHex(randomBytes(8))}`;
  const time = formatVietnamTime(options.signingTime ?? new Date());
  const transformsFor = (uri: string): ReferenceTransform[] => [
    ...(uri === '' ? [{ kind: 'enveloped-signature' } as const] : []),
    { kind: 'c14n', method: plan.canonicalization },
  ];
  const references: TemplateReference[] = [plan.mainUri, ...plan.extraUris].map((uri) => ({
    uri,
    transforms: transformsFor(uri),
    hash,
    digestValue: '',
  }));
  const objects: string[] = [];
  if (plan.signingTimeObject) {
    const objectId = `${signatureId}-SigningTime`;
    objects.push(renderSigningTimeObject(objectId, signatureId, time));
    references.push({ uri: `#${objectId}`, transforms: transformsFor('#'), hash, digestValue: '' });
  }
  const xades =
    options.xades || options.tsa
      ? { propsId: `${signatureId}-SignedProperties`, certDigest: await digest(hash, signer.certificate) }
      : undefined;
  const xadesIndex = objects.length;
  if (xades) {
    objects.push(renderXadesObject(xades.propsId, signatureId, time, hash, xades.certDigest));
    references.push({
      uri: `#${xades.propsId}`,
      type: XADES_SIGNED_PROPERTIES_TYPE,
      transforms: transformsFor('#'),
      hash,
      digestValue: '',
    });
  }
  const template: SignatureTemplate = {
    id: signatureId,
    canonicalization: plan.canonicalization,
    signatureMethod: signatureUri(algorithm),
    references,
    signatureValue: '',
    certificates: options.includeChain ? [signer.certificate, ...signer.chain] : [signer.certificate],
    objects,
  };

  // The skeleton (empty DigestValues and SignatureValue) goes into the parsed document where its text
  // will go into the input text, so that what is digested is what a verifier will parse.
  const place = placement(parsed, plan);
  const signature = parsed.doc.importNode(parseXml(renderSignature(template)).doc.documentElement, true) as Element;
  insertIntoDom(parsed.doc, place, signature);
  if (plan.idEdit) plan.idEdit.el.setAttribute(plan.idEdit.attr, plan.idEdit.id);
  const elements = elementsInOrder(parsed.doc);
  if (elementsById(elements, signatureId).length !== 1)
    throw new KysoError('ERR_XML_PROFILE', `the Id ${signatureId} is already used in the document`);
  const signedInfo = dsigChildren(signature, 'SignedInfo')[0]!;
  const refEls = dsigChildren(signedInfo, 'Reference');
  for (const [i, ref] of references.entries()) {
    const target = resolveReferenceUri(ref.uri, parsed.doc, elements);
    const { octets } = referenceOctets(target, ref.transforms, signature, 'spec');
    ref.digestValue = toBase64(await digest(hash, octets));
    dsigChildren(refEls[i]!, 'DigestValue')[0]!.appendChild(parsed.doc.createTextNode(ref.digestValue));
  }
  const value = await callSigner(signer, utf8(canonicalize(signedInfo, plan.canonicalization)), algorithm);
  template.signatureValue = toBase64(value);
  if (options.tsa && xades) {
    const signatureValue = dsigChildren(signature, 'SignatureValue')[0]!;
    signatureValue.appendChild(parsed.doc.createTextNode(template.signatureValue));
    const imprint = await digest(hash, utf8(canonicalize(signatureValue, plan.canonicalization)));
    const token = await options.tsa.timestamp(imprint, hash);
    const timestamp = { canonicalization: plan.canonicalization, token: token.der };
    objects[xadesIndex] = renderXadesObject(xades.propsId, signatureId, time, hash, xades.certDigest, timestamp);
  }

  const edits = textEdits(parsed, place, renderSignature(template));
  if (plan.idEdit) edits.push(idAttributeEdit(parsed, plan.idEdit));
  return utf8((parsed.bom ? '\uFEFF' : '') + applyEdits(parsed.text, edits));
}

function planSigning(parsed: ParsedXml, options: SignXmlOptions): Plan {
  const root = parsed.doc.documentElement;
  const profile =
    options.profile === undefined
      ? undefined
      : options.profile === 'auto'
        ? detectProfile(root)
        : resolveProfile(options.profile);
  let role: ProfileRole | undefined;
  let defaultIds: readonly string[] = [];
  if (profile) {
    const rule = matchDocument(profile, root);
    if (!rule) {
      const roots = profile.documents.flatMap((d) => d.roots).join(', ');
      throw new KysoError(
        'ERR_XML_PROFILE',
        `profile ${profile.name} does not sign <${root.tagName}> documents (expected ${roots})`,
      );
    }
    role = options.role === undefined ? rule.roles[0] : rule.roles.find((r) => r.name === options.role);
    if (!role)
      throw new KysoError(
        'ERR_INVALID_ARGUMENT',
        `profile ${profile.name} has no role ${options.role}; use ${rule.roles.map((r) => r.name).join(', ')}`,
      );
    defaultIds = rule.defaultIds ?? [];
  } else if (options.role !== undefined) {
    throw new KysoError('ERR_INVALID_ARGUMENT', 'role needs a profile');
  }
  let idEdit: IdEdit | undefined;
  let mainUri = '';
  if (options.reference) {
    mainUri = options.reference.uri;
    if (mainUri !== '') resolveReferenceUri(mainUri, parsed.doc, parsed.elements);
  } else if (role && role.signs !== 'document') {
    const { uri, edit } = idReference(parsed, root, role.signs, defaultIds);
    mainUri = uri;
    idEdit = edit;
  }
  const extraUris = (role?.alsoSigns ?? []).map((spec) => {
    return idReference(parsed, root, spec, []).uri;
  });
  const parentSpec = options.location?.path ?? role?.signatureParent ?? '';
  const steps = parentSpec.split('/').filter(Boolean);
  if (parentSpec.startsWith('/')) {
    if (steps[0] !== root.localName)
      throw new KysoError('ERR_XML_PROFILE', `location ${parentSpec} does not start at the root <${root.tagName}>`);
    steps.shift();
  }
  return {
    mainUri,
    extraUris,
    parentPath: steps,
    createAfter: profile?.createAfter ?? {},
    canonicalization: options.canonicalization ?? profile?.canonicalization ?? 'c14n',
    signingTimeObject: options.signingTimeObject ?? role?.signingTimeObject ?? false,
    ...(idEdit && { idEdit }),
  };
}

/** `#id` of the one element at `Path@IdAttribute`, with a default Id to add when it has none. */
function idReference(
  parsed: ParsedXml,
  root: Element,
  spec: string,
  defaultIds: readonly string[],
): { uri: string; edit?: IdEdit } {
  const { path, idAttribute } = splitSignedPath(spec);
  const found = elementsAtPath(root, path);
  if (found.length !== 1) {
    throw new KysoError(
      'ERR_XML_PROFILE',
      `expected exactly one <${path}> under <${root.tagName}>, found ${found.length}`,
    );
  }
  const el = found[0]!;
  const attr = idAttribute ?? 'Id';
  if (el.hasAttribute(attr) && el.getAttribute(attr)) {
    const id = el.getAttribute(attr)!;
    resolveReferenceUri(`#${id}`, parsed.doc, parsed.elements);
    return { uri: `#${id}` };
  }
  const id = defaultIds.find((candidate) => elementsById(parsed.elements, candidate).length === 0);
  if (!id) throw new KysoError('ERR_XML_PROFILE', `<${path}> has no ${attr} attribute to reference`);
  return { uri: `#${id}`, edit: { el, attr, id } };
}

function idAttributeEdit(parsed: ParsedXml, edit: IdEdit): Edit {
  const span = spanOf(parsed, edit.el);
  const at = span.startTagEnd - (span.selfClosing ? 2 : 1);
  return { from: at, to: at, text: ` ${edit.attr}="${edit.id}"` };
}

/** Finds the Signature's parent along the plan's path; steps that do not exist yet are `missing`. */
function placement(parsed: ParsedXml, plan: Plan): Placement {
  let current: Element = parsed.doc.documentElement;
  for (const [i, step] of plan.parentPath.entries()) {
    const matches = childElements(current).filter((c) => c.localName === step);
    if (matches.length > 1)
      throw new KysoError('ERR_XML_PROFILE', `more than one <${step}> under <${current.tagName}>`);
    if (!matches[0]) {
      const missing = plan.parentPath.slice(i);
      const candidates = plan.createAfter[missing[0]!] ?? [];
      const after = childElements(current)
        .filter((c) => candidates.includes(c.localName))
        .pop();
      return after ? { parent: current, missing, after } : { parent: current, missing };
    }
    current = matches[0];
  }
  if (dsigChildren(current, 'Signature').length)
    throw new KysoError('ERR_XML_PROFILE', `<${current.tagName}> already holds a Signature`);
  return { parent: current, missing: [] };
}

/** The same insertion on the DOM: new elements take the parent's namespace and prefix. */
function insertIntoDom(doc: Document, place: Placement, signature: Element): void {
  const prefix = place.parent.prefix ? `${place.parent.prefix}:` : '';
  let node: Element = signature;
  for (const name of [...place.missing].reverse()) {
    const wrapper = doc.createElementNS(place.parent.namespaceURI, prefix + name);
    wrapper.appendChild(node);
    node = wrapper;
  }
  place.parent.insertBefore(node, place.after ? place.after.nextSibling : null);
}

/** The text edits that put `signatureXml` into place, creating the missing elements. */
function textEdits(parsed: ParsedXml, place: Placement, signatureXml: string): Edit[] {
  const prefix = place.parent.prefix ? `${place.parent.prefix}:` : '';
  const open = place.missing.map((n) => `<${prefix}${n}>`).join('');
  const close = [...place.missing]
    .reverse()
    .map((n) => `</${prefix}${n}>`)
    .join('');
  const content = open + signatureXml + close;
  if (place.after) {
    const end = spanOf(parsed, place.after).end;
    return [{ from: end, to: end, text: content }];
  }
  const span = spanOf(parsed, place.parent);
  if (span.selfClosing)
    return [{ from: span.startTagEnd - 2, to: span.startTagEnd, text: `>${content}</${place.parent.tagName}>` }];
  return [{ from: span.endTagStart, to: span.endTagStart, text: content }];
}

function spanOf(parsed: ParsedXml, el: Element): ElementSpan {
  const i = parsed.elements.indexOf(el);
  if (i < 0) throw new KysoError('ERR_XML_PROFILE', `<${el.tagName}> is not part of the input text`);
  return parsed.spans[i]!;
}

function applyEdits(text: string, edits: readonly Edit[]): string {
  const sorted = [...edits].sort((a, b) => b.from - a.from);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.from) + e.text + out.slice(e.to);
  return out;
}

async function callSigner(signer: Signer, data: Uint8Array, algorithm: SignatureAlgorithm): Promise<Uint8Array> {
  let value: Uint8Array;
  try {
    value = await signer.sign(data, algorithm);
  } catch (cause) {
    if (cause instanceof KysoError) throw cause;
    throw new KysoError('ERR_SIGNER_FAILED', `the signer failed: ${(cause as Error)?.message ?? String(cause)}`, {
      cause,
    });
  }
  if (
    !(value instanceof Uint8Array) ||
    value.length === 0 ||
    (algorithm.scheme === 'ECDSA' && value.length % 2 !== 0)
  ) {
    throw new KysoError('ERR_SIGNER_FAILED', 'the signer returned no usable signature value');
  }
  return value;
}
