// The browser bundle maps Node's `crypto` to this module: xml-crypto's utilities load it at start-up but the
// parts kyso uses (canonicalisation, namespace lookup) never call it; a call would be a bug, so it says so.
const unavailable = (): never => {
  throw new Error("Node's crypto module is not available in the browser build of kyso");
};
export const createHash = unavailable;
export const createSign = unavailable;
export const createVerify = unavailable;
export const createPublicKey = unavailable;
export const createPrivateKey = unavailable;
export const X509Certificate = unavailable;
export default { createHash, createSign, createVerify, createPublicKey, createPrivateKey, X509Certificate };
