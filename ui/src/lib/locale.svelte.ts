// The chosen language as reactive state, and `t` for components: reading it inside a
// template makes the template follow language changes. The choice is kept in the
// database (with the rest of the installation's state); until it is known, and for a
// database that has none, the system's language decides.

import { api } from './api';
import { dirOf, enumLabel, initialLang, translate, type Key, type Lang, type Params } from './i18n';

export const locale = $state<{ lang: Lang }>({
  lang: initialLang(null, typeof navigator === 'undefined' ? [] : navigator.languages),
});

/** Sets `lang` and `dir` on <html> so the whole layout mirrors for Hebrew. */
export function applyLang(lang: Lang): void {
  locale.lang = lang;
  const root = document.documentElement;
  root.lang = lang;
  root.dir = dirOf(lang);
}

/** The user's choice: shown at once, then saved (a failed save only loses the memory). */
export function setLang(lang: Lang): void {
  applyLang(lang);
  api.setLanguage(lang).catch(() => undefined);
}

/** Applies the language saved in the database, if there is one. */
export async function restoreLang(): Promise<void> {
  try {
    const saved = await api.language();
    if (saved === 'en' || saved === 'he') applyLang(saved);
  } catch {
    // No database (the error screen says why): keep the system's language.
  }
}

export function t(key: Key, params?: Params): string {
  return translate(locale.lang, key, params);
}

export function label(group: string, value: string): string {
  return enumLabel(locale.lang, group, value);
}
