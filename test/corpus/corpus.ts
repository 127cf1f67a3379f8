/**
 * The shared signature corpus (../shared/corpus: real signed PDFs and XML files from public projects, with
 * expected verdicts; attribution and licences in its README.md and manifest.json). Several files carry real
 * people's names and certificates, which the corpus asks not to copy into fixtures, so the tests read the files
 * where they are. ../shared is optional: without it those tests are registered as skipped, with
 * {@link SHARED_SKIP_NOTE} in their names, so that a run reports them as skipped and never as passed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** ../shared/corpus, or `$KYSO_SHARED_DIR/corpus` (also how a run without it is tried: KYSO_SHARED_DIR=/nonexistent). */
export const CORPUS_DIR = process.env.KYSO_SHARED_DIR
  ? join(process.env.KYSO_SHARED_DIR, 'corpus/')
  : fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));

/** Whether ../shared/corpus is beside the checkout. */
export const SHARED_CORPUS_AVAILABLE = existsSync(`${CORPUS_DIR}manifest.json`);

/** Appended to the name of a test skipped for want of ../shared/corpus. */
export const SHARED_SKIP_NOTE =
  'SKIPPED: needs ../shared/corpus beside the checkout (files with personal data are not copied into test/fixtures)';

export interface CorpusRecord {
  file: string;
  kind: 'pdf' | 'xml';
  expected: 'intact' | 'modified' | 'invalid' | 'unknown';
  confidence: string;
  notes: string;
  signatures: number;
}

/** The manifest's records, or none when the corpus is not beside the project. */
export function corpusRecords(kind: 'pdf' | 'xml'): CorpusRecord[] {
  if (!SHARED_CORPUS_AVAILABLE) return [];
  return (JSON.parse(readFileSync(`${CORPUS_DIR}manifest.json`, 'utf8')) as CorpusRecord[]).filter(
    (r) => r.kind === kind && existsSync(CORPUS_DIR + r.file),
  );
}

export const corpusFile = (r: CorpusRecord): Uint8Array => new Uint8Array(readFileSync(CORPUS_DIR + r.file));
