import { CURVES, digestOid, type SignatureAlgorithm } from '../core/algorithms.js';
import { DER_NULL, derOid, tlv } from '../core/der.js';
import { KysoError } from '../core/errors.js';
import { digest } from '../crypto/digest.js';
import type { BinaryInput } from '../core/bytes.js';
import { parseCertificate, splitCertificates, type CertificateInfo } from '../pki/certificate.js';
import { orderChain } from '../pki/chain-order.js';
import { certificateKey } from './algorithms.js';
import type { Signer } from './signer.js';

// pkcs11js is an optional native dependency: loaded only when a token is used, so the core stays pure JS.
type Pkcs11Module = typeof import('pkcs11js');
type Pkcs11 = InstanceType<Pkcs11Module['PKCS11']>;

async function loadModule(module: string): Promise<{ lib: Pkcs11Module; p11: Pkcs11 }> {
  let lib: Pkcs11Module;
  try {
    const mod = (await import('pkcs11js')) as Pkcs11Module & { default?: Pkcs11Module };
    lib = mod.default ?? mod;
  } catch (cause) {
    throw new KysoError('ERR_TOKEN', 'USB tokens need the optional package pkcs11js: npm install pkcs11js', { cause });
  }
  const p11 = new lib.PKCS11();
  try {
    p11.load(module);
    p11.C_Initialize();
  } catch (cause) {
    throw new KysoError(
      'ERR_TOKEN',
      `the PKCS#11 module ${module} cannot be loaded: ${(cause as Error).message}. Is the token driver installed?`,
      { cause },
    );
  }
  return { lib, p11 };
}

const label = (s: string) => s.replace(/[\s\0]+$/, '');

type Handle = Buffer; // pkcs11js's handles (sessions, objects) are buffers
type Template = { type: number; value?: unknown }[];

/** The handles of the objects matching `template` (at most 100: a token holds a few keys and certificates). */
function findObjects(p11: Pkcs11, session: Handle, template: Template): Handle[] {
  p11.C_FindObjectsInit(session, template as never);
  try {
    return p11.C_FindObjects(session, 100);
  } finally {
    p11.C_FindObjectsFinal(session);
  }
}

/** DER of the certificates on the token, those matching `filter` (e.g. a CKA_ID) when given. */
function certificatesOnToken(lib: Pkcs11Module, p11: Pkcs11, session: Handle, filter: Template = []): Uint8Array[] {
  return findObjects(p11, session, [{ type: lib.CKA_CLASS, value: lib.CKO_CERTIFICATE }, ...filter]).map(
    (h) => new Uint8Array(p11.C_GetAttributeValue(session, h, [{ type: lib.CKA_VALUE }])[0]!.value as Buffer),
  );
}

/** What the token says of its user PIN: tokens lock after a few wrong PINs, and warn before. */
export type PinStatus = 'ok' | 'count-low' | 'final-try' | 'locked';

function pinStatus(lib: Pkcs11Module, flags: number): PinStatus {
  if (flags & lib.CKF_USER_PIN_LOCKED) return 'locked';
  if (flags & lib.CKF_USER_PIN_FINAL_TRY) return 'final-try';
  if (flags & lib.CKF_USER_PIN_COUNT_LOW) return 'count-low';
  return 'ok';
}

const LOCKED =
  "the token is locked after too many wrong PINs; unlock it with the SO PIN (the CA's token manager does this)";

/**
 * Logs the user in. A locked token is refused before a PIN is tried, and a wrong PIN says how close the token
 * is to locking, so that a script looping over a wrong PIN is stopped before it locks the token.
 */
function login(lib: Pkcs11Module, p11: Pkcs11, slot: Handle, session: Handle, pin: string): void {
  if (pinStatus(lib, p11.C_GetTokenInfo(slot).flags) === 'locked') throw new KysoError('ERR_TOKEN_LOCKED', LOCKED);
  try {
    p11.C_Login(session, lib.CKU_USER, pin);
  } catch (e) {
    const code = (e as { code?: number }).code;
    if (code === lib.CKR_USER_ALREADY_LOGGED_IN) return;
    if (code === lib.CKR_PIN_LOCKED) throw new KysoError('ERR_TOKEN_LOCKED', LOCKED, { cause: e });
    if (code === lib.CKR_PIN_INCORRECT || code === lib.CKR_PIN_INVALID || code === lib.CKR_PIN_LEN_RANGE) {
      const status = pinStatus(lib, p11.C_GetTokenInfo(slot).flags);
      const warning = {
        ok: '',
        'count-low': '; few tries are left before the token locks',
        'final-try': '; one more wrong PIN locks the token',
        locked: '; the token is now locked',
      }[status];
      throw new KysoError(
        status === 'locked' ? 'ERR_TOKEN_LOCKED' : 'ERR_WRONG_PASSWORD',
        `wrong PIN for the token${warning}`,
        { cause: e },
      );
    }
    throw new KysoError('ERR_TOKEN', `the token refused the login: ${(e as Error).message}`, { cause: e });
  }
}

/** Options of {@link openPkcs11Signer}. */
export interface Pkcs11SignerOptions {
  /** Path of the token's PKCS#11 module (driver library). */
  module: string;
  /** Token label. Default: the first slot with a token. */
  tokenLabel?: string;
  /** Slot index among the slots with a token. */
  slot?: number;
  /** Label of the private key (and its certificate). Default: the first private key with a certificate. */
  keyLabel?: string;
  /** CKA_ID of the key and certificate, hex. */
  keyId?: string;
  /** The user PIN. */
  pin: string;
  /** Intermediate certificates to embed when the token holds only the signing certificate. */
  chain?: readonly (BinaryInput | string)[];
}

/** A {@link Signer} on a token, with `close()` to log out and release the module. */
export interface Pkcs11Signer extends Signer {
  close(): void;
}

/**
 * A signer whose key stays on a USB token or HSM (PKCS#11). kyso hashes; the token does the private-key
 * operation (CKM_RSA_PKCS over a DigestInfo, CKM_ECDSA over the digest), which every token supports.
 *
 * @example
 * ```ts
 * const signer = await openPkcs11Signer({ module: '/usr/lib/libeTPkcs11.so', pin: process.env.PIN! });
 * try { await signPdf(pdf, { signer }) } finally { signer.close() }
 * ```
 * @throws KysoError `ERR_TOKEN` (no module, token, key or certificate), `ERR_WRONG_PASSWORD` (PIN), `ERR_TOKEN_LOCKED`
 */
export async function openPkcs11Signer(o: Pkcs11SignerOptions): Promise<Pkcs11Signer> {
  const { lib, p11 } = await loadModule(o.module);
  const close = () => {
    try {
      p11.C_Finalize();
    } catch {
      // already finalised
    }
  };
  try {
    const slots = p11.C_GetSlotList(true);
    const slot =
      o.tokenLabel !== undefined
        ? slots.find((s) => label(p11.C_GetTokenInfo(s).label) === o.tokenLabel)
        : slots[o.slot ?? 0];
    if (!slot)
      throw new KysoError(
        'ERR_TOKEN',
        o.tokenLabel !== undefined ? `no token labelled "${o.tokenLabel}"` : 'no token is present',
      );
    const session = p11.C_OpenSession(slot, lib.CKF_SERIAL_SESSION);
    login(lib, p11, slot, session, o.pin);
    const find = (template: Template) => findObjects(p11, session, template);
    const idFilter = o.keyId ? [{ type: lib.CKA_ID, value: Buffer.from(o.keyId, 'hex') }] : [];
    const labelFilter = o.keyLabel ? [{ type: lib.CKA_LABEL, value: o.keyLabel }] : [];
    const keys = find([{ type: lib.CKA_CLASS, value: lib.CKO_PRIVATE_KEY }, ...idFilter, ...labelFilter]);
    let chosen: { key: Buffer; cert: Uint8Array } | undefined;
    for (const key of keys) {
      const id = p11.C_GetAttributeValue(session, key, [{ type: lib.CKA_ID }])[0]!.value as Buffer;
      const [cert] = certificatesOnToken(lib, p11, session, [{ type: lib.CKA_ID, value: id }]);
      if (cert) {
        chosen = { key, cert };
        break;
      }
    }
    if (!chosen)
      throw new KysoError(
        'ERR_TOKEN',
        `no private key${o.keyLabel ? ` labelled "${o.keyLabel}"` : ''}${o.keyId ? ` with id ${o.keyId}` : ''} with a certificate on the token`,
      );
    const { curve, algorithms: offered } = certificateKey(chosen.cert, 'the token key');
    const algorithms = offered.filter((a) => a.scheme !== 'RSA-PSS');
    // CA certificates stored on the token, plus the caller's, ordered towards the root
    const cas: Uint8Array[] = [];
    for (const der of certificatesOnToken(lib, p11, session))
      if ((await parseCertificate(der)).basicConstraints?.ca) cas.push(der);
    const chain = await orderChain(chosen.cert, [...cas, ...(o.chain ?? []).flatMap((c) => splitCertificates(c))]);
    const key = chosen.key;
    return {
      certificate: chosen.cert,
      chain,
      algorithms,
      async sign(data: Uint8Array, alg: SignatureAlgorithm): Promise<Uint8Array> {
        const hash = await digest(alg.hash, data);
        try {
          if (alg.scheme === 'ECDSA') {
            p11.C_SignInit(session, { mechanism: lib.CKM_ECDSA }, key);
            return new Uint8Array(p11.C_Sign(session, Buffer.from(hash), Buffer.alloc(2 * CURVES[curve!].size + 16)));
          }
          const digestInfo = tlv(0x30, tlv(0x30, derOid(digestOid(alg.hash)), DER_NULL), tlv(0x04, hash));
          p11.C_SignInit(session, { mechanism: lib.CKM_RSA_PKCS }, key);
          return new Uint8Array(p11.C_Sign(session, Buffer.from(digestInfo), Buffer.alloc(1024)));
        } catch (cause) {
          throw new KysoError('ERR_SIGNER_FAILED', `the token could not sign: ${(cause as Error).message}`, { cause });
        }
      },
      close,
    };
  } catch (e) {
    close();
    throw e;
  }
}

/** A token slot and what it holds, for `kyso tokens`. */
export interface TokenListing {
  slot: number;
  label: string;
  manufacturer: string;
  model: string;
  serialNumber: string;
  /** The user PIN's state: tokens lock after a few wrong PINs. */
  pin: PinStatus;
  certificates?: Pick<CertificateInfo, 'subject' | 'issuer' | 'notAfter' | 'serialNumber'>[];
}

/** The slots with a token and, when `pin` is given, the certificates on each. */
export async function listTokens(module: string, pin?: string): Promise<TokenListing[]> {
  const { lib, p11 } = await loadModule(module);
  try {
    const out: TokenListing[] = [];
    for (const [i, slot] of p11.C_GetSlotList(true).entries()) {
      const info = p11.C_GetTokenInfo(slot);
      const entry: TokenListing = {
        slot: i,
        label: label(info.label),
        manufacturer: label(info.manufacturerID),
        model: label(info.model),
        serialNumber: label(info.serialNumber),
        pin: pinStatus(lib, info.flags),
      };
      out.push(entry);
      if (!(info.flags & lib.CKF_TOKEN_INITIALIZED)) continue; // an empty slot of an HSM, not yet set up
      const session = p11.C_OpenSession(slot, lib.CKF_SERIAL_SESSION);
      try {
        if (pin) login(lib, p11, slot, session, pin);
        entry.certificates = [];
        for (const der of certificatesOnToken(lib, p11, session)) {
          const c = await parseCertificate(der);
          entry.certificates.push({
            subject: c.subject,
            issuer: c.issuer,
            notAfter: c.notAfter,
            serialNumber: c.serialNumber,
          });
        }
      } finally {
        p11.C_CloseSession(session);
      }
    }
    return out;
  } finally {
    p11.C_Finalize();
  }
}
