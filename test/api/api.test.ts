/**
 * The public API is recorded and documented: every export of the entry points carries TSDoc, and
 * api/kyso.api.md (API Extractor's report, committed) matches the build: a change to the public surface must
 * come with `npm run api:report` and its diff in review.
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, scratchDir } from '../fixtures/tools.js';
import { exportDocs } from './exports.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('the public API', () => {
  it('documents every export of src/index.ts and src/browser.ts with TSDoc', { timeout: 180_000 }, () => {
    const undocumentedFixture = join(scratchDir('kyso-api-'), 'entry.ts');
    writeFileSync(undocumentedFixture, '/** Documented. */\nexport const a = 1;\nexport const b = 2;\n');
    const docs = exportDocs(['index.ts', 'browser.ts', undocumentedFixture]);
    for (const entry of ['index.ts', 'browser.ts']) {
      expect(docs.get(entry)!.length).toBeGreaterThan(40);
      expect(docs.get(entry)!.filter((d) => !d.documented).map((d) => d.name), entry).toEqual([]);
    }
    // the check tells a documented export from one that is not
    expect(docs.get(undocumentedFixture)).toEqual([{ name: 'a', documented: true }, { name: 'b', documented: false }]);
  });

  it('matches the committed API report (npm run api:check)', { timeout: 180_000 }, () => {
    const r = run(process.execPath, [join(root, 'node_modules', '@microsoft', 'api-extractor', 'bin', 'api-extractor'), 'run'], { timeoutMs: 170_000 });
    expect(r.stdout + r.stderr, 'run `npm run api:report` and commit api/kyso.api.md').toContain('API Extractor completed successfully');
    expect(r.status).toBe(0);
  });
});
