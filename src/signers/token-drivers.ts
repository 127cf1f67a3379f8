import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** The PKCS#11 driver files a certification authority's token installer puts on a machine. */
export interface TokenDriverHint {
  /** Who ships it: the CA, or the token maker whose middleware several CAs hand out. */
  vendor: string;
  /** File names the Windows installers put in System32 (newer versions first). */
  windows: readonly string[];
  /** Library names on Linux and macOS, where the CA ships a driver for them. */
  unix: readonly string[];
}

/**
 * PKCS#11 drivers of the tokens Vietnamese certification authorities hand out, as the installers of those
 * CAs name them (gathered from the driver lists public Vietnamese tax, customs and e-invoice signing tools
 * search, not checked against each installer here). A CA renames its driver with each token generation, so
 * several names per CA; `kyso tokens` looks for all of them, and the CA's installer has the last word.
 */
export const TOKEN_DRIVER_HINTS: readonly TokenDriverHint[] = [
  {
    vendor: 'VNPT-CA',
    windows: [
      'vnptca_p11_v10.dll',
      'vnptca_p11_v9.dll',
      'vnptca_p11_v8.dll',
      'vnptca_p11_v7.dll',
      'vnptca_p11_v6.dll',
      'vnpt-ca_csp11.dll',
      'vnpt-ca_v34.dll',
      'vnpt-ca_cl_v1.dll',
    ],
    unix: [],
  },
  {
    vendor: 'Viettel-CA',
    windows: [
      'viettel-ca_v6.dll',
      'viettel-ca_v5.dll',
      'viettel-ca_v4.dll',
      'viettel-ca_v3.dll',
      'viettel-ca_v2.dll',
      'viettel-ca_v1.dll',
      'viettel-ca.dll',
    ],
    unix: ['viettel-ca_v6.dylib', 'viettel-ca_v5.dylib', 'viettel-ca_v4.dylib'],
  },
  { vendor: 'BKAV-CA', windows: ['BkavCA.dll', 'BkavCAv2S.dll', 'bkavcaetoken.dll'], unix: [] },
  { vendor: 'FPT-CA', windows: ['fpt-ca.dll', 'fpt-ca-stx.dll', 'fptca_v3.dll'], unix: [] },
  {
    vendor: 'CA2 / Nacencomm (NCCA)',
    windows: ['ncca_csp11_v1.dll', 'CA2_csp11.dll', 'CA2_v34.dll', 'nca_v6.dll', 'nca_v4.dll'],
    unix: [],
  },
  { vendor: 'SAFE-CA', windows: ['safe-ca.dll'], unix: [] },
  { vendor: 'Vina-CA', windows: ['Vina-CAv5.dll', 'Vina-CAv4.dll', 'Vina-CAv3.dll', 'Vina-CA.dll'], unix: [] },
  { vendor: 'NewTel-CA', windows: ['NEWTEL-CA.dll'], unix: [] },
  { vendor: 'CK-CA', windows: ['CKCA.dll'], unix: [] },
  { vendor: 'I-CA', windows: ['ica_csp11_v1.dll'], unix: [] },
  { vendor: 'SecureMetric tokens (BKAV-CA and others)', windows: ['st3csp11.dll'], unix: [] },
  { vendor: 'WatchData ProxKey tokens (VNPT-CA and others)', windows: ['wdpkcs.dll'], unix: ['libwdpkcs.so'] },
  {
    vendor: 'Feitian ePass2003 / ShuttleCSP tokens (CA2, Viettel-CA and others)',
    windows: ['eps2003csp11.dll', 'ShuttleCsp11_3003.dll', 'ngp11v211.dll'],
    unix: ['libcastle.so.1.0.0', 'libcastle_v2.so.1.0.0'],
  },
  {
    vendor: 'SafeNet / Thales eToken (several CAs)',
    windows: ['eTPKCS11.dll'],
    unix: ['libeTPkcs11.so', 'libeTPkcs11.dylib'],
  },
  { vendor: 'Gemalto tokens', windows: ['gclib.dll', 'IDPrimePKCS11.dll'], unix: ['libIDPrimePKCS11.so'] },
  { vendor: 'OpenSC (generic smart cards)', windows: ['opensc-pkcs11.dll'], unix: ['opensc-pkcs11.so'] },
  {
    vendor: 'SoftHSM2 (a software token for testing)',
    windows: ['softhsm2-x64.dll', 'softhsm2.dll'],
    unix: ['libsofthsm2.so'],
  },
];

/** A driver of {@link TOKEN_DRIVER_HINTS} found on this machine. */
export interface FoundTokenDriver {
  vendor: string;
  path: string;
}

/** Where token installers put their drivers, per platform. */
export function tokenDriverFolders(platform: NodeJS.Platform = process.platform): string[] {
  if (platform === 'win32') {
    const root = process.env.SystemRoot ?? 'C:\\Windows';
    return [join(root, 'System32'), join(root, 'SysWOW64')];
  }
  const common = [
    '/usr/lib',
    '/usr/local/lib',
    '/usr/lib64',
    '/usr/lib/x86_64-linux-gnu',
    '/usr/lib/aarch64-linux-gnu',
    '/usr/lib/softhsm',
    '/usr/lib/x86_64-linux-gnu/softhsm',
    '/usr/lib/x86_64-linux-gnu/pkcs11',
    '/usr/lib/pkcs11',
    '/usr/lib/WatchData/ProxKey/lib',
  ];
  return platform === 'darwin'
    ? [
        '/usr/local/lib',
        '/Library/OpenSC/lib',
        '/opt/homebrew/lib',
        '/opt/homebrew/lib/softhsm',
        '/usr/local/lib/softhsm',
      ]
    : common;
}

/**
 * The known token drivers present in `folders` (default: where installers put them on this platform), so
 * that `kyso tokens` can say which `--pkcs11` module to use. Names compare without case, as Windows does.
 */
export async function findTokenDrivers(folders: readonly string[] = tokenDriverFolders()): Promise<FoundTokenDriver[]> {
  const wanted = new Map<string, string>();
  for (const h of TOKEN_DRIVER_HINTS)
    for (const name of [...h.windows, ...h.unix]) wanted.set(name.toLowerCase(), h.vendor);
  const found: FoundTokenDriver[] = [];
  for (const folder of folders) {
    const names = await readdir(folder).catch(() => [] as string[]);
    for (const name of names.sort()) {
      const vendor = wanted.get(name.toLowerCase());
      if (vendor) found.push({ vendor, path: join(folder, name) });
    }
  }
  return found;
}
