// Labels, hints and test hooks of form fields, and core's messages in the UI language.

import type { Entity } from '../bindings/Entity';
import { formatDate, formatMoney, formatNumber } from './format';
import { enumLabel, translate, type Lang } from './i18n';

/** `field.<entity>.<name>` (a row's cell: `field.<entity>.<list>.<name>`). */
export function fieldLabel(lang: Lang, entity: Entity, name: string): string {
  return translate(lang, `field.${entity}.${name}`);
}

/** `hint.<entity>.<name>` when there is one, else ''. */
export function fieldHint(lang: Lang, entity: Entity, name: string): string {
  const key = `hint.${entity}.${name}`;
  const hint = translate(lang, key);
  return hint === key ? '' : hint;
}

/** `tranches[1].amount_minor` → `tranches-1-amount_minor` (for data-testid). */
export function pathTestId(path: string): string {
  return path.replace(/\[(\d+)\]\.?/g, '-$1-').replace(/-$/, '').replace(/\./g, '-');
}

/** A quoted name isolated (FSI…PDI) so a Latin name keeps its place in a Hebrew sentence. */
function iso(s: string | undefined): string {
  return `\u2068${s ?? ''}\u2069`;
}

/**
 * Core's sentences in Hebrew where their wording is known; the others (and every
 * message in English) unchanged. Values quoted in a message are kept as they were.
 */
const HEBREW: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^(".*") is not a real date$/, (m) => `${m[1]} אינו תאריך קיים`],
  [/^(".*") is out of range \(years 1900 to 2200\)$/, (m) => `${m[1]} מחוץ לטווח (השנים 1900 עד 2200)`],
  [/^(".*") is not an e-mail address$/, (m) => `${m[1]} אינה כתובת דוא״ל`],
  [/^(".*") is not an ORCID iD \(form 0000-0002-1825-0097\)$/, (m) => `${m[1]} אינו מזהה ORCID (בתבנית 0000-0002-1825-0097)`],
  [/^(".*") is not a phone number.*$/, (m) => `${m[1]} אינו מספר טלפון (ספרות, רווחים ו־+ - ( ) בלבד)`],
  [/^(".*") is not a web address starting with https:\/\/$/, (m) => `${m[1]} אינה כתובת אינטרנט שמתחילה ב־https://`],
  [/^must not be empty$/, () => 'אין להשאיר ריק'],
  [/^must be written in Hebrew script$/, () => 'יש לכתוב באותיות עבריות'],
  [/^holds Hebrew letters; put the Hebrew name in (\w+)$/, () => 'מכיל אותיות עבריות; את השם בעברית יש לכתוב בשדה העברי'],
  // Imports
  [/^column "(.*)" is not a known field and is ignored$/, (m) => `העמודה „${iso(m[1])}” אינה שדה מוכר ולכן אינה מיובאת`],
  [/^column "(.*)" is ignored: the direction is derived from the institutions$/, (m) => `העמודה „${iso(m[1])}” אינה מיובאת: הכיוון נגזר מהמוסדות`],
  [/^row (\d+) has the same name as row (\d+) \((.*)\)$/, (m) => `לשורה ${m[1]} אותו שם כמו לשורה ${m[2]} (${m[3]})`],
  [/^the import was cancelled; nothing was written$/, () => 'הייבוא בוטל; דבר לא נכתב.'],
  [
    /^the file mixes date orders: (".*") \(row (\d+)\) is day\/month but (".*") \(row (\d+)\) is month\/day; fix the file or give the date order$/,
    (m) => `בקובץ מעורבים סדרי תאריכים: ${m[1]} (שורה ${m[2]}) כתוב יום/חודש אבל ${m[3]} (שורה ${m[4]}) כתוב חודש/יום; יש לתקן את הקובץ או לבחור את סדר התאריכים.`,
  ],
  [/^this package was written by this installation$/, () => 'החבילה הזו נכתבה במחשב הזה.'],
  [/^is required( \(it cannot be cleared\))?$/, () => 'שדה חובה'],
  [/^needs at least one entry$/, () => 'יש לבחור לפחות ערך אחד'],
  [/^needs at least (\d+) entries$/, (m) => `יש לבחור לפחות ${m[1]} ערכים`],
  [/^(".*") is not a date in the form YYYY-MM-DD$/, (m) => `${m[1]} אינו תאריך בתבנית YYYY-MM-DD`],
  [/^(".*") is not an ISO 3166-1 alpha-2 country code.*$/, (m) => `${m[1]} אינו קוד מדינה בן שתי אותיות (למשל US, IL)`],
  [/^(".*") is not an ISO 4217 currency code.*$/, (m) => `${m[1]} אינו קוד מטבע (למשל USD, ILS)`],
  [/^must be a whole number, not (.*)$/, (m) => `יש להזין מספר שלם (הוזן ${m[1]})`],
  [/^a person needs a given and a family name, in Latin or in Hebrew script$/, () => 'לאדם נדרשים שם פרטי ושם משפחה, באותיות לטיניות או בעברית'],
  [/^only a paid tranche has a paid_on date$/, () => 'תאריך תשלום אפשרי רק לתשלום ששולם'],
  [/^the placement belongs to another person$/, () => 'השיבוץ שייך לאדם אחר'],
  [/^(".*") is not an academic year like 2026\/27$/, (m) => `${m[1]} אינה שנה אקדמית בתבנית 2026/27`],
  [/^(".*") is not a direction like US->IL$/, (m) => `${m[1]} אינו כיוון בתבנית US->IL`],
  [/^(".*") has a wrong check digit \(expected (\w)\)$/, (m) => `ספרת הביקורת של ${m[1]} שגויה (צפויה ${m[2]})`],
  [/^(\S+) is already the e-mail of person (\S+)$/, (m) => `${m[1]} כבר רשומה כדוא״ל של אדם אחר (${m[2]})`],
  [/^(\S+) is already the ORCID iD of person (\S+)$/, (m) => `${m[1]} כבר רשום כמזהה ORCID של אדם אחר (${m[2]})`],
  [/^(\S+) is already the e-mail of (.+)$/, (m) => `${m[1]} כבר רשומה כדוא״ל של ${m[2]}`],
  [/^(\S+) is already the ORCID iD of (.+)$/, (m) => `${m[1]} כבר רשום כמזהה ORCID של ${m[2]}`],
  [/^this person is already placed in cohort "(.+)"$/, (m) => `האדם כבר משובץ במחזור „${iso(m[1])}”`],
  [
    /^cohort "(.+)" is full \((\d+) of (\d+) places taken\); adding past capacity needs an explicit override$/,
    (m) => `המחזור „${iso(m[1])}” מלא (${m[2]} מתוך ${m[3]} מקומות תפוסים); שיבוץ מעבר לקיבולת מחייב אישור מפורש.`,
  ],
  [
    /^"(.+)" is a sensitive program: research-security screening must be cleared before a placement can be (\w+) \(screening is ([\w ]+)\)$/,
    (m) =>
      `„${iso(m[1])}” היא תוכנית רגישה: יש לאשר את הבדיקה הביטחונית לפני שהשיבוץ יוכל לעבור ל„${enumLabel('he', 'status', m[2] ?? '')}” (מצב הבדיקה: ${enumLabel('he', 'screening', (m[3] ?? '').replace(/ /g, '_'))}).`,
  ],
  [
    /^cannot move from (\w+) to (\w+): (\w+) comes before (\w+); reopen the placement to move it back$/,
    (m) =>
      `אי אפשר להעביר מ„${enumLabel('he', 'status', m[1] ?? '')}” ל„${enumLabel('he', 'status', m[2] ?? '')}”, שלב מוקדם יותר; כדי להחזיר לאחור יש לפתוח מחדש את השיבוץ.`,
  ],
  [
    /^cannot move from (\w+) to (\w+): the placement is \w+, a final state; reopen the placement to move it back$/,
    (m) =>
      `אי אפשר להעביר מ„${enumLabel('he', 'status', m[1] ?? '')}” ל„${enumLabel('he', 'status', m[2] ?? '')}”: זהו מצב סופי; כדי לשנות אותו יש לפתוח מחדש את השיבוץ.`,
  ],
];

/** What a message may need to be written well (the currency of amounts in minor units). */
export interface MessageContext {
  currency?: string;
}

const DATE_ORDER = /^(\d{4}-\d{2}-\d{2}) is before (?:start_date|valid_from) (\d{4}-\d{2}-\d{2})$/;
const TRANCHE_SUM = /^the tranches add up to (\d+), more than the award of (\d+) \(minor units\)$/;

export function coreMessage(message: string, lang: Lang, context: MessageContext = {}): string {
  const sum = TRANCHE_SUM.exec(message);
  if (sum) {
    const money = (minor: string) => {
      const code = (context.currency ?? '').trim().toUpperCase();
      if (!/^[A-Z]{3}$/.test(code)) return formatNumber(Number(minor), lang);
      try {
        return formatMoney(Number(minor), code, lang);
      } catch {
        return formatNumber(Number(minor), lang);
      }
    };
    return lang === 'he'
      ? `סכום התשלומים (${money(sum[1] ?? '0')}) גבוה מסכום המלגה (${money(sum[2] ?? '0')}).`
      : `The tranches add up to ${money(sum[1] ?? '0')}, more than the award of ${money(sum[2] ?? '0')}.`;
  }
  const order = DATE_ORDER.exec(message);
  if (order) {
    const start = formatDate(order[2], lang);
    return lang === 'he' ? `מוקדם מתאריך ההתחלה (${start}).` : `Comes before the start date (${start}).`;
  }
  if (lang !== 'he') return message;
  for (const [pattern, render] of HEBREW) {
    const m = pattern.exec(message);
    if (m) return render(m);
  }
  return message;
}

/**
 * An error's sentence for a box of its own (not under its field): without core's
 * "field: " prefix, in the UI language where the wording is known, starting with a
 * capital letter.
 */
export function readableError(message: string, field: string | undefined, lang: Lang): string {
  const bare = field && message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message;
  const text = coreMessage(bare, lang);
  return text.charAt(0).toUpperCase() + text.slice(1);
}
