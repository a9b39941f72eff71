// A deadline as the dashboard words it, in the UI's language: core sends the values behind
// its English `detail` (`facts`), and the person's Hebrew name beside the Latin one.
import type { Deadline } from '../bindings/Deadline';
import { formatDate, formatMoney } from './format';
import { enumLabel, translate, type Lang } from './i18n';

/** Who or what the deadline concerns: in Hebrew, a person's Hebrew name when known. */
export function deadlineTitle(d: Deadline, lang: Lang): string {
  return lang === 'he' && d.title_he ? d.title_he : d.title;
}

/** What is due, worded in `lang`; core's English `detail` where there are no values
 *  to word (a report's own title), and nothing for a cohort start (its kind says it). */
export function deadlineDetail(d: Deadline, lang: Lang): string {
  const f = d.facts;
  switch (d.kind) {
    case 'visa_expiry': {
      const visa = f.subject ? enumLabel(lang, 'visa', f.subject) : translate(lang, 'deadline.visa');
      return f.until
        ? translate(lang, 'deadline.visaBeforeEnd', { visa, date: formatDate(f.until, lang) })
        : translate(lang, 'deadline.visaExpires', { visa });
    }
    case 'tranche_due': {
      if (f.amount_minor == null || !f.currency) return d.detail;
      const text = translate(lang, 'deadline.tranche', {
        title: f.subject ?? '',
        amount: formatMoney(f.amount_minor, f.currency, lang),
      });
      return f.state === 'held' ? `${text} ${translate(lang, 'deadline.held')}` : text;
    }
    case 'checklist_due':
      return f.subject && f.state
        ? `${enumLabel(lang, 'checklist', f.subject)} (${enumLabel(lang, 'checkStatus', f.state)})`
        : d.detail;
    case 'cohort_start':
      return '';
    default:
      return d.detail;
  }
}
