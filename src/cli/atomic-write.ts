import { closeSync, fsync, openSync } from 'node:fs';
import { promisify } from 'node:util';
import { closeQuietly, replaceFile, writeAll } from '../core/atomic-file.js';

const fsyncAsync = promisify(fsync);

/** Options of {@link writeFileAtomic}. */
export interface AtomicWriteOptions {
  /** Replace an existing file. Default: false — an existing output is an error, so nothing is lost. */
  overwrite?: boolean;
}

/**
 * Writes `data` (one buffer, or parts written one after the other, so that a signed PDF need not be joined
 * to its update in memory) to `path` atomically (see {@link replaceFile}); a full disk is `ERR_DISK_FULL`.
 * The file calls but the flush are synchronous: for the small files of a batch they cost less than
 * thread-pool round trips (measured by `npm run bench`).
 */
export async function writeFileAtomic(
  path: string,
  data: Uint8Array | readonly Uint8Array[],
  options: AtomicWriteOptions = {},
): Promise<void> {
  const parts = data instanceof Uint8Array ? [data] : data;
  await replaceFile(
    path,
    async (tmp) => {
      const fd = openSync(tmp, 'wx', 0o644);
      try {
        writeAll(fd, parts);
        await fsyncAsync(fd); // the one slow call (the disk): off this thread, so other files go on meanwhile
      } catch (e) {
        closeQuietly(fd);
        throw e;
      }
      closeSync(fd);
    },
    { overwrite: options.overwrite, overwriteHint: 'pass --force' },
  );
}
