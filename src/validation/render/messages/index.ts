import type { Catalogue, Locale } from './catalogue.js';
import { en } from './en.js';
import { vi } from './vi.js';

export type { Catalogue, Locale } from './catalogue.js';

/** One catalogue per language. */
export const CATALOGUES: Readonly<Record<Locale, Catalogue>> = { en, vi };

/** The report language a POSIX locale asks for (`LC_ALL`, else `LANG`): Vietnamese for `vi`/`vi_VN…`, else English. */
export function localeFromEnvironment(env: Readonly<Record<string, string | undefined>>): Locale {
  const posix = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^vi([_.@-]|$)/i.test(posix) ? 'vi' : 'en';
}
