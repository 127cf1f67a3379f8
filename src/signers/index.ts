export { chooseAlgorithm, type Signer, type AlgorithmPreference } from './signer.js';
export { createKeySigner, type KeySignerOptions } from './key-signer.js';
export { loadPkcs12Signer, type Pkcs12SignerOptions } from './pkcs12-signer.js';
export { createCryptoKeySigner, type CryptoKeySignerOptions } from './crypto-key-signer.js';
export { createExternalSigner, type ExternalSignerOptions } from './external-signer.js';
