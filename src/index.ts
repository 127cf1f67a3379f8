/**
 * kyso — sign, verify and timestamp e-government documents with X.509 certificates.
 * @packageDocumentation
 */
export { KysoError, isKysoError, type KysoErrorCode } from './core/errors.js';
export type { BinaryInput } from './core/bytes.js';
export type { DigestAlgorithm, SignatureAlgorithm, SignatureScheme } from './core/algorithms.js';
export type { Clock } from './core/clock.js';
export { chooseAlgorithm, type Signer, type AlgorithmPreference } from './signers/signer.js';
