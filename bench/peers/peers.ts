/**
 * The peers that are not npm packages — Apache PDFBox (Java) and pyHanko (Python) — run when the machine has
 * them: each either gives a contender (a process of its own, warm inside, timed by itself) or says why not.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WORK, type Measurement } from '../common.js';
import type { Contender } from '../rounds.js';

/** A peer on this machine: `run(args)` times it; or why it is missing. */
export type Peer = { name: string; run(args: string[]): Contender } | { name: string; missing: string };

/** The JSON lines a worker printed (one Measurement each). */
export function parseMeasurements(out: string): Measurement[] {
  return out
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Measurement);
}

const command =
  (cmd: string, pre: string[]) =>
  (args: string[]): Contender =>
  () =>
    parseMeasurements(
      execFileSync(cmd, [...pre, ...args], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        maxBuffer: 1 << 20,
      }),
    );

const JARS = ['pdfbox2.jar', 'fontbox2.jar', 'commons-logging.jar', 'bcprov.jar', 'bcpkix.jar', 'bcutil.jar'].map(
  (j) => `/usr/share/java/${j}`,
);

/**
 * Apache PDFBox 2 with BouncyCastle (Debian: libpdfbox2-java libbcpkix-java), through our harness
 * bench/peers/PdfBoxBench.java, compiled here when a JDK is at hand.
 */
export function pdfbox(): Peer {
  const name = 'PDFBox 2.0.27 + BouncyCastle';
  const absent = JARS.filter((j) => !existsSync(j));
  if (absent.length) return { name, missing: `not run: ${absent.join(', ')} not installed` };
  const source = fileURLToPath(new URL('./PdfBoxBench.java', import.meta.url));
  const classes = join(WORK, 'java');
  const built = join(classes, 'PdfBoxBench.class');
  if (!existsSync(built) || statSync(built).mtimeMs < statSync(source).mtimeMs) {
    if (spawnSync('sh', ['-c', 'command -v javac']).status !== 0)
      return { name, missing: 'not run: javac not installed (a JDK compiles bench/peers/PdfBoxBench.java)' };
    mkdirSync(classes, { recursive: true });
    execFileSync('javac', ['-nowarn', '-cp', JARS.join(':'), '-d', classes, source], { stdio: 'inherit' });
  }
  return { name, run: command('java', ['-cp', [...JARS, classes].join(':'), 'PdfBoxBench']) };
}

/** pyHanko, when `import pyhanko` works (PyPI's pyHanko), through bench/peers/pyhanko_bench.py. */
export function pyhanko(): Peer {
  const name = 'pyHanko';
  if (spawnSync('python3', ['-c', 'import pyhanko, pyhanko_certvalidator']).status !== 0)
    return { name, missing: 'not run: pyHanko not installed (pip install pyHanko)' };
  return { name, run: command('python3', [fileURLToPath(new URL('./pyhanko_bench.py', import.meta.url))]) };
}
