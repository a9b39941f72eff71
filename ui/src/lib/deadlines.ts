// A deadline as the dashboard words it, in the UI's language: core sends the values behind
// its English `detail` (`facts`), and the person's Hebrew name beside the Latin one.
// The detail is a sentence in the UI's language, shown in the UI's direction; the values
// in it (a fellowship's title, an amount with its currency sign, core's own text) are
// each isolated, so a line that starts with an English title still reads right to left
// in Hebrew and a sign stays beside its amount.
import type { Deadline } from '../bindings/Deadline';
import { formatDate, formatMoney, isolate } from './format';
import { enumLabel, translate, type Lang } from './i18n';

/** What is due, worded in `lang`; core's English `detail` where there are no values
 *  to word (a report's own title), and nothing for a cohort start (its kind says it). */
export function deadlineDetail(d: Deadline, lang: Lang): string {
  const f = d.facts;
  switch (d.kind) {
    case 'visa_expiry': {
      const visa = visaName(f.subject, lang);
      return f.until
        ? translate(lang, 'deadline.visaBeforeEnd', { visa, date: formatDate(f.until, lang) })
        : translate(lang, 'deadline.visaExpires', { visa });
    }
    case 'tranche_due': {
      if (f.amount_minor == null || !f.currency) return isolate(d.detail);
      const text = translate(lang, 'deadline.tranche', {
        title: isolate(f.subject ?? ''),
        amount: isolate(formatMoney(f.amount_minor, f.currency, lang)),
      });
      return f.state === 'held' ? `${text} ${translate(lang, 'deadline.held')}` : text;
    }
    case 'checklist_due':
      return f.subject && f.state
        ? `${enumLabel(lang, 'checklist', f.subject)} (${enumLabel(lang, 'checkStatus', f.state)})`
        : isolate(d.detail);
    case 'cohort_start':
      return '';
    default:
      return d.detail ? isolate(d.detail) : '';
  }
}

/** The visa a deadline is about: "J-1" / "אשרת J-1", "Visa (other)", or "Visa" when its
 *  type is not known. */
function visaName(type: string | null, lang: Lang): string {
  if (!type) return translate(lang, 'deadline.visa');
  if (type === 'other') return translate(lang, 'deadline.visaOther');
  return translate(lang, 'deadline.visaOfType', { type: isolate(enumLabel(lang, 'visa', type)) });
}

/**
 * The names a deadline shows, the UI language's first: a person's Latin and Hebrew names
 * side by side when both are known (as the other lists show them), else its one title.
 */
export function deadlineNames(d: Deadline, lang: Lang): { primary: string; secondary: string } {
  const hebrew = d.title_he?.trim() ?? '';
  if (!hebrew || hebrew === d.title.trim()) return { primary: d.title, secondary: '' };
  return lang === 'he' ? { primary: hebrew, secondary: d.title } : { primary: d.title, secondary: hebrew };
}
