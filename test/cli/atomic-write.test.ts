import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../src/cli/atomic-write.js';
import { scratchDir } from '../fixtures/tools.js';

describe('writeFileAtomic', () => {
  it('writes the whole file and leaves no temporary file', async () => {
    const dir = scratchDir();
    await writeFileAtomic(join(dir, 'a.pdf'), new Uint8Array([1, 2, 3]));
    expect([...readFileSync(join(dir, 'a.pdf'))]).toEqual([1, 2, 3]);
    expect(readdirSync(dir)).toEqual(['a.pdf']);
  });
  it('keeps an existing file unless told to overwrite', async () => {
    const dir = scratchDir();
    const path = join(dir, 'a.pdf');
    writeFileSync(path, 'old');
    await expect(writeFileAtomic(path, new Uint8Array([1]))).rejects.toMatchObject({ code: 'ERR_IO' });
    expect(readFileSync(path, 'utf8')).toBe('old');
    await writeFileAtomic(path, new Uint8Array([0x6e, 0x65, 0x77]), { overwrite: true });
    expect(readFileSync(path, 'utf8')).toBe('new');
  });
  it('fails cleanly when the folder cannot take the file', async () => {
    const dir = scratchDir();
    writeFileSync(join(dir, 'file'), 'x');
    await expect(writeFileAtomic(join(dir, 'file', 'out.pdf'), new Uint8Array([1]))).rejects.toMatchObject({
      code: 'ERR_IO',
    });
    mkdirSync(join(dir, 'sub'));
    await expect(writeFileAtomic(join(dir, 'missing', 'out.pdf'), new Uint8Array([1]))).rejects.toMatchObject({
      code: 'ERR_IO',
    });
    expect(readdirSync(dir).sort()).toEqual(['file', 'sub']);
  });
});
