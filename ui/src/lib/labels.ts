// How a record is named on screen: a person by both scripts' names, an institution or a
// program by its name in the UI language, a cohort by its name.

import type { Entity } from '../bindings/Entity';
import { personNames, type PersonNames } from './format';
import type { Lang } from './i18n';

export type AnyRecord = Record<string, unknown>;

function text(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** The main label and a second line (the other script, or a detail) of a record. */
export function recordLabel(
  entity: Entity,
  record: AnyRecord | null | undefined,
  lang: Lang,
): { primary: string; secondary: string } {
  if (!record) return { primary: '', secondary: '' };
  switch (entity) {
    case 'person':
      return personNames(record as PersonNames, lang);
    case 'institution': {
      const name = text(record.name);
      const he = text(record.name_he);
      const [a, b] = lang === 'he' && he ? [he, name] : [name || he, he && name ? he : ''];
      return { primary: a, secondary: [b, text(record.country)].filter(Boolean).join(' · ') };
    }
    case 'program':
    case 'cohort':
      return { primary: text(record.name), secondary: '' };
    case 'agreement':
    case 'fellowship':
      return { primary: text(record.title), secondary: '' };
    case 'placement':
      return { primary: text(record.status), secondary: '' };
  }
}
