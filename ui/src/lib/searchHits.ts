// A search hit as the top bar shows it in the UI's language. Core's hit is plain text for
// the CLI too ("Dana Cohen · דנה כהן", "joint training", ISO dates): the Hebrew UI puts the
// Hebrew name first, programs show their kind's label and cohorts local dates.
import type { SearchHit } from '../bindings/SearchHit';
import { formatDate } from './format';
import { enumLabel, type Lang } from './i18n';

const HEBREW = /[\u05D0-\u05EA]/;
const ISO_DATE = /\b\d{4}-\d{2}-\d{2}\b/g;

export function hitTitle(hit: SearchHit, lang: Lang): string {
  const [first, second, ...rest] = hit.title.split(' · ');
  if (lang === 'he' && first !== undefined && second !== undefined && !rest.length && HEBREW.test(second) && !HEBREW.test(first)) {
    return `${second} · ${first}`;
  }
  return hit.title;
}

export function hitSubtitle(hit: SearchHit, lang: Lang): string {
  switch (hit.entity) {
    case 'program':
      return hit.subtitle ? enumLabel(lang, 'kind', hit.subtitle.replace(/ /g, '_')) : '';
    case 'cohort':
      return hit.subtitle.replace(ISO_DATE, (iso) => formatDate(iso, lang));
    default:
      return hit.subtitle;
  }
}
