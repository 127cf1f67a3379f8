import { readFile, stat } from 'node:fs/promises';
import { parseArgs } from '../parse-args.js';
import { isVnTrustName, vnTrustBundle, vnTrustStore } from '../../pki/vn-trust.js';
import { parseCertificate, splitCertificates, type Certificate } from '../../pki/certificate.js';
import { trustFolderFiles } from '../../pki/trust-folder.js';
import { validateCertificatePath, type PathValidationResult } from '../../pki/chain.js';
import type { BundledCertificate } from '../../pki/trust-bundle.js';
import { EXIT } from '../exit-codes.js';
import { UsageError } from '../usage-error.js';
import { trustFromArgs } from '../trust-args.js';

export const TRUST_HELP = `Usage: kyso trust list [vn|vn-gov|vn-public|FILE|DIR] [--json]
       kyso trust show FILE [--trust FILE|DIR|vn|vn-gov|vn-public]... [--intermediate FILE]... [--online]
                       [--time ISO-8601] [--json]

list   each anchor and intermediate of the Vietnamese bundle (default "vn"), of a subset, of a
       certificate file or of a trust folder: name, role, validity, SHA-256 fingerprint, what it is for
       and where it comes from. Check the fingerprints with the publishers: rootca.gov.vn (NEAC, the
       public CAs) and ca.gov.vn (Ban Cơ yếu Chính phủ, the government hierarchies).
       Your own trust folder: kyso trust list ~/.config/kyso/trust (or $KYSO_TRUST_DIR).
show   which root the certificate in FILE (PEM or DER; further certificates in it are intermediates)
       chains to, through which intermediates, or which issuer is missing and how to supply it.
       Default trust: vn and your trust folder (~/.config/kyso/trust, $KYSO_TRUST_DIR).

Exit codes: 0 done (show: a path to an anchor was found), 2 show: no path, 3 usage or I/O error.`;

/** One line of `kyso trust list`. */
interface ListedCertificate {
  name: string;
  subject: string;
  role: 'anchor' | 'intermediate';
  subsets?: string[];
  notBefore: string;
  notAfter: string;
  sha256: string;
  signatureAlgorithm?: string;
  purpose?: string;
  source?: BundledCertificate['source'] | { file: string };
}

/** `kyso trust`. */
export async function trustCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      trust: { type: 'string', multiple: true },
      intermediate: { type: 'string', multiple: true },
      online: { type: 'boolean' },
      time: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [sub, ...rest] = positionals;
  if (values.help || sub === undefined) {
    console.log(TRUST_HELP);
    return values.help ? EXIT.OK : EXIT.USAGE;
  }
  if (sub === 'list') {
    if (rest.length > 1) throw new UsageError('kyso trust list takes at most one bundle name, file or folder');
    const listed = await listTrust(rest[0] ?? 'vn');
    console.log(values.json ? JSON.stringify(listed, null, 2) : listed.map(renderListed).join('\n\n'));
    return EXIT.OK;
  }
  if (sub === 'show') {
    if (rest.length !== 1) throw new UsageError('kyso trust show takes one certificate file');
    const time = values.time ? new Date(values.time) : undefined;
    if (time && Number.isNaN(time.getTime())) throw new UsageError(`--time ${values.time} is not an ISO 8601 time`);
    return showCertificate(rest[0]!, values.trust ?? ['vn'], {
      intermediates: values.intermediate ?? [],
      online: values.online ?? false,
      time,
      json: values.json ?? false,
    });
  }
  throw new UsageError(`unknown trust command "${sub}" (list, show)`);
}

async function listTrust(what: string): Promise<ListedCertificate[]> {
  if (isVnTrustName(what)) {
    const entries = (await vnTrustBundle()).filter((e) => what === 'vn' || e.subsets.includes(what));
    const store = await vnTrustStore(what);
    const bySha = new Map([...store.anchors, ...(store.intermediates ?? [])].map((c) => [c.fingerprintSha256, c]));
    return entries.map((e) => ({
      name: e.name,
      subject: bySha.get(e.sha256)!.subject.display,
      role: e.role,
      subsets: e.subsets,
      notBefore: e.notBefore,
      notAfter: e.notAfter,
      sha256: e.sha256,
      signatureAlgorithm: e.signatureAlgorithm,
      purpose: e.purpose,
      source: e.source,
    }));
  }
  const s = await stat(what).catch(() => {
    throw new UsageError(
      `cannot read ${what} (kyso trust list takes vn, vn-gov, vn-public, a certificate file or a folder)`,
    );
  });
  const files = s.isDirectory() ? await trustFolderFiles(what) : [{ file: what, role: 'anchor' as const }];
  const out: ListedCertificate[] = [];
  for (const f of files) {
    for (const der of splitCertificates(new Uint8Array(await readFile(f.file)))) {
      const c = await parseCertificate(der);
      out.push({
        name: nameOf(c),
        subject: c.subject.display,
        role: f.role,
        notBefore: c.notBefore.toISOString(),
        notAfter: c.notAfter.toISOString(),
        sha256: c.fingerprintSha256,
        source: { file: f.file },
      });
    }
  }
  return out;
}

function nameOf(c: Certificate): string {
  return c.subject.commonName ?? c.subject.display;
}

function renderListed(c: ListedCertificate): string {
  const lines = [
    `${c.role === 'anchor' ? 'ANCHOR      ' : 'intermediate'}  ${c.name}${c.subsets ? `  [${c.subsets.join(', ')}]` : ''}`,
    `  valid:     ${c.notBefore.slice(0, 10)} – ${c.notAfter.slice(0, 10)}${c.signatureAlgorithm ? `  (${c.signatureAlgorithm})` : ''}`,
    `  SHA-256:   ${c.sha256}`,
  ];
  if (c.purpose) lines.push(`  for:       ${c.purpose}`);
  if (c.source && 'publisher' in c.source)
    lines.push(
      `  publisher: ${c.source.publisher}`,
      `  found in:  ${c.source.repository ? `${c.source.repository} ${c.source.path ?? ''}` : c.source.note}`,
    );
  else if (c.source) lines.push(`  file:      ${c.source.file}`);
  return lines.join('\n');
}

async function showCertificate(
  file: string,
  trustNames: string[],
  o: { intermediates: string[]; online: boolean; time: Date | undefined; json: boolean },
): Promise<number> {
  const read = async (f: string) =>
    splitCertificates(
      new Uint8Array(
        await readFile(f).catch(() => {
          throw new UsageError(`cannot read ${f}`);
        }),
      ),
    );
  const [leafDer, ...carried] = await read(file);
  const intermediates = [...carried, ...(await Promise.all(o.intermediates.map(read))).flat()];
  const leaf = await parseCertificate(leafDer!);
  const trust = await trustFromArgs(trustNames, { online: o.online });
  const validate = (time: Date) =>
    validateCertificatePath({ certificate: leaf.der, intermediates, trust, time, purpose: 'any' });
  let time = o.time ?? new Date();
  let result = await validate(time);
  // an expired (or future) certificate still has a root: look for it at a time inside its validity
  if (!o.time && (result.status === 'expired' || result.status === 'not-yet-valid')) {
    time = new Date((leaf.notBefore.getTime() + leaf.notAfter.getTime()) / 2);
    result = await validate(time);
  }
  const bundle = await vnTrustBundle();
  const root =
    result.status === 'valid' ? bundle.find((e) => e.sha256 === result.chain.at(-1)!.fingerprintSha256) : undefined;
  if (o.json)
    console.log(
      JSON.stringify(
        {
          file,
          certificate: leaf.subject.display,
          time,
          ...result,
          ...(root && { root: { name: root.name, purpose: root.purpose, publisher: root.source.publisher } }),
        },
        null,
        2,
      ),
    );
  else console.log(renderShown(file, leaf, time, result, root));
  return result.status === 'valid' ? EXIT.OK : EXIT.INDETERMINATE;
}

function renderShown(
  file: string,
  leaf: Certificate,
  time: Date,
  r: PathValidationResult,
  root: BundledCertificate | undefined,
): string {
  const lines = [
    `${file}: "${nameOf(leaf)}" (${leaf.notBefore.toISOString().slice(0, 10)} – ${leaf.notAfter.toISOString().slice(0, 10)}), checked at ${time.toISOString()}`,
  ];
  if (r.status === 'valid') {
    const top = r.chain.at(-1)!;
    lines.push(
      `  chains to ${root ? `the bundled root "${root.name}" (${root.purpose}; ${root.source.publisher})` : `"${top.subject.commonName ?? top.subject.display}"`}`,
    );
    r.chain.forEach((c, i) =>
      lines.push(
        `  ${i === 0 ? 'certificate ' : i === r.chain.length - 1 ? 'anchor      ' : 'intermediate'}  ${c.subject.commonName ?? c.subject.display}  SHA-256 ${c.fingerprintSha256}`,
      ),
    );
  } else lines.push(`  no path to a trust anchor (${r.status})`);
  for (const p of r.problems) lines.push(`  ! ${p}`);
  for (const n of r.notes ?? []) lines.push(`  note: ${n}`);
  return lines.join('\n');
}
