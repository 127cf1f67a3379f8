/** Runs the built `kyso` command (dist/cli/main.js; `npm test` builds first). */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export function kyso(
  args: string[],
  env: Record<string, string> = {},
  input?: string,
): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    input,
    timeout: 60_000,
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Like {@link kyso}, without blocking the test process: needed when the command talks to a server the test
 * itself runs (a TSA, an OCSP responder), which must keep answering meanwhile.
 */
export function kysoAsync(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ status: code ?? -1, stdout, stderr });
    });
  });
}

/** Environment that makes the kyso process print its peak RSS as it exits (read it with {@link peakRssMb}). */
export const PEAK_RSS_ENV = {
  NODE_OPTIONS:
    "--import=data:text/javascript,process.on('exit',()=>process.stderr.write('maxrss='+process.resourceUsage().maxRSS))",
};

/** The peak RSS, in MB, a process run with {@link PEAK_RSS_ENV} printed. */
export function peakRssMb(stderr: string): number {
  return Number(/maxrss=(\d+)/.exec(stderr)?.[1]) / 1024;
}
