// What the verification page takes from kyso: its bundle (examples/verify/build.ts) holds these and what they
// reach, nothing for signing (fontkit, node-forge).
export {
  renderReport,
  reportMessages,
  verifyDetached,
  verifyPdf,
  verifyTimestamp,
  verifyXml,
} from '../../src/browser.js';
