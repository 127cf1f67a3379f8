import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from '../parse-args.js';
import type { AddressInfo } from 'node:net';
import { EXIT } from '../exit-codes.js';
import { UsageError } from '../usage-error.js';
import { browserBuild, pdfjsFolder, VerifyPageFiles } from '../verify-page-files.js';

export const SERVE_VERIFY_HELP = `Usage: kyso serve-verify [--port N] [--dir DIR]

Serves the verification page (a PDF, an XML document, or a file with its .p7s/.tsr, verified in the browser:
the files never leave it) on http://127.0.0.1:PORT/ for use on this computer. Stop with Ctrl+C.
The page shows a PDF's pages with pdf.js when the pdfjs-dist package is installed (npm install pdfjs-dist);
without it, it verifies and says why it shows no pages.

  --port N     the port (default 8180; 0 picks a free one)
  --dir DIR    the built page (default: the one shipped with kyso, made by "npm run build:verify")
  -h, --help   this help`;

/** Where `npm run build:verify` puts the page: dist/verify, beside this command's chunk (dist/serve-verify-….js). */
const BUILT_PAGE = fileURLToPath(new URL('./verify/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.pfb': 'application/octet-stream',
  '.ttf': 'font/ttf',
  '.bcmap': 'application/octet-stream',
};

/**
 * The page may reach only its own files; OCSP responders, CRL and AIA addresses are any http(s) URL, which it
 * fetches only when the user switches online checks on.
 */
const HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' blob: data:; font-src 'self' data: blob:; worker-src 'self' blob:; connect-src 'self' http: https:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cache-Control': 'no-cache',
};

/** `kyso serve-verify`: the static verification page, on the loopback interface only. */
export async function serveVerifyCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { port: { type: 'string' }, dir: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(SERVE_VERIFY_HELP);
    return EXIT.OK;
  }
  const port = Number(values.port ?? 8180);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be a port number, not ${values.port}`);
  const root = normalize(values.dir ?? BUILT_PAGE).replace(/[\\/]?$/, sep);
  if (!(await stat(join(root, 'index.html')).catch(() => undefined)))
    throw new UsageError(`no verification page in ${root}: build it with "npm run build:verify"`);
  const kyso = browserBuild();
  if (!kyso) throw new UsageError(`kyso's browser build (dist/browser.js) is missing: build it with "npm run build"`);
  const pdfjs = pdfjsFolder();
  const files = new VerifyPageFiles(root, kyso, pdfjs);
  const server = createServer((req, res) => void serve(files, req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'EADDRINUSE' ? new UsageError(`port ${port} is in use; choose another with --port`) : e),
    );
    server.listen(port, '127.0.0.1', resolve);
  });
  console.log(
    `kyso: verification page at http://127.0.0.1:${(server.address() as AddressInfo).port}/ (files stay in the browser; Ctrl+C stops)`,
  );
  if (!pdfjs)
    console.error('kyso: pdfjs-dist is not installed: the page verifies but shows no pages (npm install pdfjs-dist)');
  await new Promise<void>((resolve) => {
    const stop = () => server.close(() => resolve());
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return EXIT.OK;
}

async function serve(files: VerifyPageFiles, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { Allow: 'GET, HEAD' }).end();
  let path: string | undefined;
  try {
    path = files.fileFor(decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname));
  } catch {
    return void res.writeHead(400).end();
  }
  if (!path) return void res.writeHead(403).end();
  let body: Buffer;
  try {
    body = await readFile(path);
  } catch {
    return void res.writeHead(404, HEADERS).end();
  }
  res.writeHead(200, {
    ...HEADERS,
    'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream',
    'Content-Length': body.length,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
