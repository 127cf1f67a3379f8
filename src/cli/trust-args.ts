import { readFile, stat } from 'node:fs/promises';
import { createTrustStore, mergeTrustStores, type TrustStore } from '../pki/trust-store.js';
import { isVnTrustName, vnTrustStore } from '../pki/vn-trust.js';
import { loadTrustFolder, userTrustFolder } from '../pki/trust-folder.js';
import { withIssuerFetching } from '../pki/issuer-fetch.js';
import { UsageError } from './usage-error.js';

/**
 * The trust of `--trust` arguments (`vn`, `vn-gov`, `vn-public`, a certificate file, or a trust folder),
 * plus the user's trust folder (its anchors and intermediates, when it exists); with `online`, missing
 * intermediates are fetched from caIssuers URLs.
 */
export async function trustFromArgs(names: readonly string[], o: { online?: boolean } = {}): Promise<TrustStore> {
  const store = mergeTrustStores([
    ...(await Promise.all(names.map(trustOfArg))),
    await loadTrustFolder(userTrustFolder(), { optional: true }),
  ]);
  return o.online ? withIssuerFetching(store) : store;
}

/** One `--trust` argument as a store. */
async function trustOfArg(name: string): Promise<TrustStore> {
  if (isVnTrustName(name)) return vnTrustStore(name);
  const s = await stat(name).catch(() => {
    throw new UsageError(`cannot read ${name} (--trust takes vn, vn-gov, vn-public, a certificate file or a folder)`);
  });
  // a wrong --trust would otherwise surface as a FAILED or INDETERMINATE document, blaming it for the command line
  if (s.isDirectory()) {
    const store = await loadTrustFolder(name);
    if (store.anchors.length === 0)
      throw new UsageError(`--trust ${name}: the folder holds no certificate (.pem, .crt, .cer, .der)`);
    return store;
  }
  return createTrustStore([new Uint8Array(await readFile(name))]).catch((cause: unknown) => {
    throw new UsageError(
      `--trust ${name} is not a certificate (PEM or DER)${cause instanceof Error ? `: ${cause.message}` : ''}`,
    );
  });
}
