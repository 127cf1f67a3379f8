/** Worker: the machine's own limits for the work kyso does — RSA-2048 signatures through WebCrypto and node:crypto. */
import { readFileSync } from 'node:fs';
import { createPrivateKey, sign as nodeSign } from 'node:crypto';
import { measure } from './common.js';

const [keyPath, count] = process.argv.slice(2);
const n = Number(count);
const pem = readFileSync(keyPath!, 'utf8');
const der = createPrivateKey(pem).export({ format: 'der', type: 'pkcs8' });
const subtle = globalThis.crypto.subtle;
const key = await subtle.importKey('pkcs8', der, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
const data = new Uint8Array(64);
const nodeKey = createPrivateKey(pem);
await subtle.sign('RSASSA-PKCS1-v1_5', key, data);

console.log(
  JSON.stringify(
    await measure('WebCrypto RSA-2048 sign, one at a time', n, () => subtle.sign('RSASSA-PKCS1-v1_5', key, data)),
  ),
);
const batches = await measure('', Math.ceil(n / 16), () =>
  Promise.all(Array.from({ length: 16 }, () => subtle.sign('RSASSA-PKCS1-v1_5', key, data))),
);
const inFlight = batches.docs * 16;
console.log(
  JSON.stringify({
    ...batches,
    name: 'WebCrypto RSA-2048 sign, 16 in flight',
    docs: inFlight,
    docsPerSecond: inFlight / batches.seconds,
  }),
);
console.log(
  JSON.stringify(await measure('node:crypto RSA-2048 sign (synchronous)', n, () => nodeSign('sha256', data, nodeKey))),
);
