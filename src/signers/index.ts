export { chooseAlgorithm, type Signer, type AlgorithmPreference } from './signer.js';
export { createKeySigner, type KeySignerOptions } from './key-signer.js';
export { loadPkcs12Signer, type Pkcs12SignerOptions } from './pkcs12-signer.js';
export { createCryptoKeySigner, type CryptoKeySignerOptions } from './crypto-key-signer.js';
export { createExternalSigner, type ExternalSignerOptions } from './external-signer.js';
export {
  openPkcs11Signer,
  listTokens,
  type Pkcs11Signer,
  type Pkcs11SignerOptions,
  type TokenListing,
  type PinStatus,
} from './pkcs11-signer.js';
export {
  TOKEN_DRIVER_HINTS,
  findTokenDrivers,
  tokenDriverFolders,
  type TokenDriverHint,
  type FoundTokenDriver,
} from './token-drivers.js';
