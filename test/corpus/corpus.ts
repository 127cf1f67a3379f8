/**
 * The shared signature corpus (../shared/corpus: real signed PDFs and XML files from public projects, with
 * expected verdicts; attribution and licences in its README.md and manifest.json). Several files carry real
 * people's names and certificates, which the corpus asks not to copy into fixtures, so the tests read the files
 * where they are and skip with a notice on a machine that does not have them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CORPUS_DIR = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));

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
  const manifest = `${CORPUS_DIR}manifest.json`;
  if (!existsSync(manifest)) {
    console.warn(`[corpus] ${CORPUS_DIR} not found: corpus tests skipped`);
    return [];
  }
  return (JSON.parse(readFileSync(manifest, 'utf8')) as CorpusRecord[]).filter((r) => r.kind === kind && existsSync(CORPUS_DIR + r.file));
}

export const corpusFile = (r: CorpusRecord): Uint8Array => new Uint8Array(readFileSync(CORPUS_DIR + r.file));
