import { open, rename, unlink, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { KysoError } from '../core/errors.js';

/** Options of {@link writeFileAtomic}. */
export interface AtomicWriteOptions {
  /** Replace an existing file. Default: false — an existing output is an error, so nothing is lost. */
  overwrite?: boolean;
}

/**
 * Writes `data` to `path` so that readers see the old file or the whole new one, never a part: the bytes go
 * to a temporary file in the same folder, are flushed to disk, and the temporary file is renamed over `path`.
 * On any failure the temporary file is removed and the target is untouched.
 */
export async function writeFileAtomic(path: string, data: Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  if (!options.overwrite && (await exists(path))) {
    throw new KysoError('ERR_IO', `${path} already exists; pass --force to replace it`);
  }
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let handle;
  try {
    handle = await open(tmp, 'wx', 0o644);
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(tmp, path);
  } catch (cause) {
    await handle?.close().catch(() => {});
    await unlink(tmp).catch(() => {});
    throw new KysoError('ERR_IO', `cannot write ${path}: ${(cause as Error).message}`, { cause });
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
