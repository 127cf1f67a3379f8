import { generateTestPki } from './fixtures/pki.js';

export default async function setup(): Promise<void> {
  await generateTestPki();
}
