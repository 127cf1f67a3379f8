/**
 * Where the verification page's addresses lead on disk: the page's own folder (HTML, CSS, its scripts), kyso's
 * browser build under /kyso/ and pdf.js under /vendor/ from the installed pdfjs-dist peer. The package ships
 * neither a second copy of kyso nor pdf.js (4.5 MB) for the page.
 */
import { existsSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A URL path prefix and the folder (prefix ends in "/") or file it stands for. */
type Mount = { prefix: string; path: string };

/** The folder that holds this chunk: dist/, with browser.js and browser-chunks/ beside it. */
const DIST = fileURLToPath(new URL('./', import.meta.url));

/** The installed pdfjs-dist's folder, or undefined when the optional peer is missing (or unresolvable). */
export function pdfjsFolder(): string | undefined {
  try {
    return dirname(fileURLToPath(import.meta.resolve('pdfjs-dist/package.json')));
  } catch {
    return undefined;
  }
}

/** kyso's browser build, or undefined when dist/ has none (a build without it). */
export function browserBuild(): string | undefined {
  const file = join(DIST, 'browser.js');
  return existsSync(file) ? file : undefined;
}

/** The page's files: `root` (ends in the separator) and what the server adds to it. */
export class VerifyPageFiles {
  private readonly mounts: Mount[];

  constructor(
    private readonly root: string,
    kyso: string | undefined = browserBuild(),
    pdfjs: string | undefined = pdfjsFolder(),
  ) {
    this.mounts = [
      ...(kyso
        ? [
            { prefix: '/kyso/browser.js', path: kyso },
            { prefix: '/kyso/browser-chunks/', path: join(dirname(kyso), 'browser-chunks') + sep },
          ]
        : []),
      ...(pdfjs
        ? [
            { prefix: '/vendor/pdf.min.mjs', path: join(pdfjs, 'build', 'pdf.min.mjs') },
            { prefix: '/vendor/pdf.worker.min.mjs', path: join(pdfjs, 'build', 'pdf.worker.min.mjs') },
            ...['standard_fonts', 'cmaps', 'wasm'].map((d) => ({
              prefix: `/vendor/${d}/`,
              path: join(pdfjs, d) + sep,
            })),
          ]
        : []),
    ];
  }

  /** The file for a decoded URL path, or undefined when the path leaves its folder. */
  fileFor(pathname: string): string | undefined {
    const mount = this.mounts.find((m) =>
      m.prefix.endsWith('/') ? pathname.startsWith(m.prefix) : pathname === m.prefix,
    );
    if (mount && !mount.prefix.endsWith('/')) return mount.path;
    const [base, rest] = mount ? [mount.path, pathname.slice(mount.prefix.length)] : [this.root, pathname];
    const path = normalize(join(base, rest.endsWith('/') || rest === '' ? `${rest}index.html` : rest));
    return path.startsWith(base) ? path : undefined;
  }
}
