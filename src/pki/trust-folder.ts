import { readFile, readdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KysoError } from '../core/errors.js';
import { createTrustStore, type TrustStore } from './trust-store.js';

/**
 * The user's own trust folder: `$KYSO_TRUST_DIR`, else `$XDG_CONFIG_HOME/kyso/trust`, else
 * `~/.config/kyso/trust`.
 */
export function userTrustFolder(env: NodeJS.ProcessEnv = process.env): string {
  return env.KYSO_TRUST_DIR || join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'kyso', 'trust');
}

/** One certificate file of a trust folder and the role it has there. */
export interface TrustFolderFile {
  file: string;
  role: 'anchor' | 'intermediate';
}

/**
 * The certificate files (`.pem .crt .cer .der`) of a trust folder: those in `intermediates/` are
 * intermediates; those in `anchors/` and in the folder itself are anchors.
 */
export async function trustFolderFiles(dir: string): Promise<TrustFolderFile[]> {
  const out: TrustFolderFile[] = [];
  for (const [sub, role] of [
    ['', 'anchor'],
    ['anchors', 'anchor'],
    ['intermediates', 'intermediate'],
  ] as const) {
    const d = join(dir, sub);
    const names = await readdir(d).catch(() => [] as string[]);
    for (const n of names.filter((f) => /\.(pem|crt|cer|der)$/i.test(f)).sort()) out.push({ file: join(d, n), role });
  }
  return out;
}

/**
 * A trust store from a folder laid out as {@link trustFolderFiles} reads it: intermediates are
 * path-building material only. A missing folder is an empty store when `optional`, `ERR_IO` otherwise.
 *
 * @example
 * ```ts
 * // ~/.config/kyso/trust/intermediates/viettel-ca-sha256.pem: an issuing CA the documents do not carry
 * const trust = mergeTrustStores([await vnTrustStore(), await loadTrustFolder(userTrustFolder(), { optional: true })]);
 * ```
 */
export async function loadTrustFolder(dir: string, options: { optional?: boolean } = {}): Promise<TrustStore> {
  const s = await stat(dir).catch(() => undefined);
  if (!s?.isDirectory()) {
    if (options.optional) return { anchors: [] };
    throw new KysoError('ERR_IO', `the trust folder ${dir} does not exist`);
  }
  const files = await trustFolderFiles(dir);
  const read = (role: TrustFolderFile['role']) =>
    Promise.all(files.filter((f) => f.role === role).map(async (f) => new Uint8Array(await readFile(f.file))));
  return createTrustStore(await read('anchor'), { intermediates: await read('intermediate') });
}
