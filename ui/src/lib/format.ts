// Numbers, dates and names formatted for the chosen language with Intl.

import type { Lang } from './i18n';

/** The BCP 47 tag Intl formats with for each UI language. */
export function localeTag(lang: Lang): string {
  return lang === 'he' ? 'he-IL' : 'en-US';
}

// Intl formatters are made once per language (and currency) and kept: each holds native
// ICU objects that only garbage collection frees, and a virtualised list formats numbers
// and dates for every row it draws as it scrolls.
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let format = formatters.get(key) as T | undefined;
  if (!format) {
    format = make();
    formatters.set(key, format);
  }
  return format;
}

/**
 * A value isolated (FSI…PDI) inside a sentence: it takes its own direction from its first
 * strong character and keeps its place, while the sentence around it keeps the UI's.
 */
export function isolate(s: string): string {
  return `\u2068${s}\u2069`;
}

export function formatNumber(value: number, lang: Lang): string {
  return cached(`n:${lang}`, () => new Intl.NumberFormat(localeTag(lang))).format(value);
}

/** Money in minor units (cents, agorot) of an ISO 4217 currency. */
export function formatMoney(amountMinor: number, currency: string, lang: Lang): string {
  const format = cached(`m:${lang}:${currency}`, () => new Intl.NumberFormat(localeTag(lang), { style: 'currency', currency }));
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amountMinor / 10 ** digits);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date (`YYYY-MM-DD`) as a UTC instant, so no time zone shifts its day. */
export function parseIsoDate(iso: string): Date | null {
  const m = ISO_DATE.exec(iso);
  if (!m) return null;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return Number.isNaN(date.getTime()) || date.getUTCDate() !== Number(m[3]) ? null : date;
}

function dateFormat(lang: Lang): Intl.DateTimeFormat {
  return cached(`d:${lang}`, () => new Intl.DateTimeFormat(localeTag(lang), { dateStyle: 'medium', timeZone: 'UTC' }));
}

/** `2027-09-01` → "Sep 1, 2027" / "1 בספט׳ 2027"; text that is not a date is shown as is. */
export function formatDate(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '';
  const date = parseIsoDate(iso);
  return date ? dateFormat(lang).format(date) : iso;
}

/** A start–end range, shortened where Intl can ("Sep 1 – Dec 15, 2027"). */
export function formatDateRange(
  start: string | null | undefined,
  end: string | null | undefined,
  lang: Lang,
): string {
  const from = start ? parseIsoDate(start) : null;
  const to = end ? parseIsoDate(end) : null;
  if (from && to && from <= to) return dateFormat(lang).formatRange(from, to);
  const a = formatDate(start, lang);
  const b = formatDate(end, lang);
  if (a && b) return `${a} – ${b}`;
  if (a) return `${a} –`;
  if (b) return `– ${b}`;
  return '';
}

export interface PersonNames {
  given_name?: string | null;
  family_name?: string | null;
  given_name_he?: string | null;
  family_name_he?: string | null;
}

function join(...parts: (string | null | undefined)[]): string {
  return parts
    .map((p) => p?.trim())
    .filter(Boolean)
    .join(' ');
}

/**
 * A person's name in both scripts, the one of the UI language first. Either may be
 * empty (at least one is always present in valid records).
 */
export function personNames(p: PersonNames, lang: Lang): { primary: string; secondary: string } {
  const latin = join(p.given_name, p.family_name);
  const hebrew = join(p.given_name_he, p.family_name_he);
  const [first, second] = lang === 'he' ? [hebrew, latin] : [latin, hebrew];
  return first ? { primary: first, secondary: second } : { primary: second, secondary: '' };
}

/** `US->IL` → `US → IL`; anything else (e.g. `domestic`) is returned unchanged. */
export function directionText(direction: string): string {
  return direction.replace('->', ' → ');
}
