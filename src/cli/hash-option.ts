import type { DigestAlgorithm } from '../core/algorithms.js';
import { UsageError } from './usage-error.js';

const HASHES: Record<string, DigestAlgorithm> = { sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' };

/** The digest a `--hash` value names (`sha256`, `SHA-384`, …), or undefined when the option is absent. */
export function hashOption(value: string | undefined): DigestAlgorithm | undefined {
  if (value === undefined) return undefined;
  const hash = HASHES[value.toLowerCase().replace('-', '')];
  if (!hash) throw new UsageError(`--hash must be sha256, sha384 or sha512, not ${value}`);
  return hash;
}
