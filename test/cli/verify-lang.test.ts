import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPkcs12Signer, signDetached, signPdf } from '../../src/index.js';
import { P12_PASSWORD, pkiFile, pkiPath } from '../fixtures/pki.js';
import { scratchDir } from '../fixtures/tools.js';
import { spawn } from 'node:child_process';
import { dirname, sep } from 'node:path';
import { CLI, kyso } from './cli-helpers.js';

let dir: string;
let pdf: string;
let data: string;
const trust = () => ['--trust', pkiPath('root.cert.pem')];
// the tests choose the language themselves, whatever the machine's locale
const C = { LANG: 'C.UTF-8', LC_ALL: '', LC_MESSAGES: '' };

beforeAll(async () => {
  dir = scratchDir('kyso-cli-lang-');
  const signer = await loadPkcs12Signer(pkiFile('rsa2048.p12'), { password: P12_PASSWORD });
  pdf = join(dir, 'quyết-định.pdf');
  writeFileSync(
    pdf,
    await signPdf(readFileSync(new URL('../../examples/documents/quyet-dinh-mau.pdf', import.meta.url)), {
      signer,
      reason: 'Phê duyệt',
    }),
  );
  data = join(dir, 'hợp-đồng.txt');
  writeFileSync(data, 'Hợp đồng số 12/2026');
  writeFileSync(`${data}.p7s`, await signDetached(readFileSync(data), { signer }));
});

describe('kyso verify --lang', () => {
  it('writes the report in Vietnamese with --lang vi, or when LANG is vi_VN (LC_ALL first)', () => {
    for (const [args, env] of [
      [['--lang', 'vi'], C],
      [[], { ...C, LANG: 'vi_VN.UTF-8' }],
      [[], { ...C, LC_ALL: 'vi_VN.UTF-8' }],
    ] as const) {
      const r = kyso(['verify', pdf, ...trust(), ...args], env);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout.split('\n')[0]).toBe(`${pdf}: Chữ ký hợp lệ — 1 chữ ký, 2 phiên bản`);
      expect(r.stdout).toContain('Người ký:     Nguyễn Văn An (CCCD 001089012345)');
      expect(r.stdout).toContain('(giờ Việt Nam)');
    }
  });
  it('English by default, and with --lang en whatever LANG says', () => {
    expect(kyso(['verify', pdf, ...trust()], C).stdout.split('\n')[0]).toBe(
      `${pdf}: TOTAL_PASSED — 1 signature, 2 revisions`,
    );
    expect(kyso(['verify', pdf, ...trust(), '--lang', 'en'], { ...C, LANG: 'vi_VN.UTF-8' }).stdout).toContain(
      'Signer:      Nguyễn Văn An',
    );
  });
  it('says why a signature is not valid in Vietnamese, for a PDF and a .p7s; the exit codes stay', () => {
    const r = kyso(['verify', pdf, '--lang', 'vi'], C);
    expect(r.status).toBe(2);
    expect(r.stdout.split('\n')[0]).toMatch(/: Không xác định — /);
    expect(r.stdout).toContain('Giải thích:   Không xác minh được chứng thư số của người ký');
    const ok = kyso(['verify', `${data}.p7s`, ...trust(), '--lang', 'vi'], C);
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout.split('\n')[0]).toBe(`${data}: chữ ký tách rời: Chữ ký hợp lệ — người ký: Nguyễn Văn An`);
    writeFileSync(data, 'Hợp đồng số 13/2026');
    const bad = kyso(['verify', `${data}.p7s`, ...trust(), '--lang', 'vi'], C);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('Chữ ký không hợp lệ');
    expect(bad.stdout).toContain('Nội dung đã ký bị thay đổi sau khi ký');
    writeFileSync(data, 'Hợp đồng số 12/2026');
  });
  it('a file that is no PDF is reported in the chosen language, and --lang must be vi or en', () => {
    const junk = join(dir, 'rác.pdf');
    writeFileSync(junk, 'not a pdf at all');
    expect(kyso(['verify', junk, '--lang', 'vi'], C).stdout).toContain('rác.pdf: Không kiểm tra được tệp — ');
    const r = kyso(['verify', pdf, '--lang', 'fr'], C);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('--lang must be vi or en');
  });
});

describe('kyso serve-verify', () => {
  it('refuses a folder without the page and a port that is not one (usage errors)', () => {
    const r = kyso(['serve-verify', '--dir', dir, '--port', '0']);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('npm run build:verify');
    expect(kyso(['serve-verify', '--port', 'http']).status).toBe(3);
    expect(kyso(['serve-verify', '--help']).stdout).toContain('127.0.0.1');
  });
  it('serves the page built into dist/verify by default (whichever chunk of the build holds the command)', async () => {
    const page = join(dirname(dirname(CLI)), 'verify') + sep;
    const child = spawn(process.execPath, [CLI, 'serve-verify', '--port', '0']);
    let out = '';
    const url = await new Promise<string | undefined>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
        if (m) resolve(m[0]);
      });
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.on('close', () => resolve(undefined));
    });
    try {
      // without a built page (npm run build:verify) it says where it looked
      if (url === undefined) expect(out).toContain(`no verification page in ${page}`);
      else expect(await (await fetch(url)).text()).toBe(readFileSync(join(page, 'index.html'), 'utf8'));
    } finally {
      child.kill();
    }
  });
});
