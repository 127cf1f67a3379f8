import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findTokenDrivers, TOKEN_DRIVER_HINTS } from '../../src/index.js';
import { tokenDriverFolders } from '../../src/signers/token-drivers.js';
import { scratchDir } from '../fixtures/tools.js';

describe('token driver hints', () => {
  it('finds the drivers of Vietnamese CAs in the given folders, names compared without case, nothing else', async () => {
    const dir = scratchDir('kyso-drivers-');
    mkdirSync(join(dir, 'System32'));
    for (const f of ['viettel-ca_v6.dll', 'VNPTCA_P11_V8.DLL', 'kernel32.dll', 'BkavCA.dll.bak'])
      writeFileSync(join(dir, 'System32', f), '');
    const found = await findTokenDrivers([join(dir, 'System32'), join(dir, 'missing')]);
    expect(found).toEqual([
      { vendor: 'VNPT-CA', path: join(dir, 'System32', 'VNPTCA_P11_V8.DLL') },
      { vendor: 'Viettel-CA', path: join(dir, 'System32', 'viettel-ca_v6.dll') },
    ]);
  });
  it('names at least one driver for each of the main Vietnamese CAs, and no file name twice', () => {
    for (const ca of ['VNPT-CA', 'Viettel-CA', 'BKAV-CA', 'FPT-CA', 'CA2 / Nacencomm (NCCA)']) {
      expect(TOKEN_DRIVER_HINTS.find((h) => h.vendor === ca)?.windows.length).toBeGreaterThan(0);
    }
    const names = TOKEN_DRIVER_HINTS.flatMap((h) => [...h.windows, ...h.unix].map((n) => n.toLowerCase()));
    expect(new Set(names).size).toBe(names.length);
  });
  it('looks in System32 on Windows and in the library folders elsewhere', () => {
    expect(tokenDriverFolders('win32').some((f) => f.endsWith('System32'))).toBe(true);
    expect(tokenDriverFolders('linux')).toContain('/usr/lib');
    expect(tokenDriverFolders('darwin')).toContain('/usr/local/lib');
  });
});
