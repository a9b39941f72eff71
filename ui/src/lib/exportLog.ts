// What one row of the export log covers, in words: a cohort's name, "All cohorts" for a
// calendar of every cohort, or for `export all` "Everything (N records)" with the count of
// each entity (core logs counts, not ids, for an export of every record).
import type { ExportLogEntry } from '../bindings/ExportLogEntry';
import { formatNumber } from './format';
import { enumLabel, translate, type Lang } from './i18n';

export type LogScope = {
  /** The cell's text. */
  text: string;
  /** The records of each entity, for a tooltip; null when the row is one cohort's. */
  detail: string | null;
  /** Whether the text is a cohort's name (data, isolated in its own direction) rather
   *  than words in the UI's language. */
  named: boolean;
};

export function logScope(e: ExportLogEntry, lang: Lang): LogScope {
  if (e.kind === 'all' || e.entity_counts) {
    const text = translate(lang, 'log.everything', { n: formatNumber(e.record_count, lang) });
    const detail = Object.entries(e.entity_counts ?? {})
      .filter(([, count]) => (count ?? 0) > 0)
      .map(([entity, count]) => `${enumLabel(lang, 'entity', entity)}: ${formatNumber(count ?? 0, lang)}`)
      .join(', ');
    return { text, detail: detail || null, named: false };
  }
  if (e.cohort_name) return { text: e.cohort_name, detail: null, named: true };
  return { text: translate(lang, 'log.allCohorts'), detail: null, named: false };
}
