// A record's change history made readable: changes grouped by when and where they were
// made (newest first), values written as a coordinator would write them.

import type { HistoryEntry } from '../bindings/HistoryEntry';
import { formatDate, formatNumber, localeTag } from './format';
import type { Lang } from './i18n';

export interface Change {
  changed_at: string;
  device_name: string;
  op: string;
  entries: HistoryEntry[];
}

/** Entries of one write (same time, device and operation) together; newest change first. */
export function groupHistory(entries: HistoryEntry[]): Change[] {
  const out: Change[] = [];
  for (const e of entries) {
    const last = out[out.length - 1];
    if (last && last.changed_at === e.changed_at && last.device_name === e.device_name && last.op === e.op) {
      last.entries.push(e);
    } else {
      out.push({ changed_at: e.changed_at, device_name: e.device_name, op: e.op, entries: [e] });
    }
  }
  return out.reverse();
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * One old or new value: '—' for none, dates in the UI's format, yes/no, lists joined,
 * rows of a list counted ("3 rows"), anything else as text. `names` resolves record ids
 * (an institution's id to its name) when the caller knows them.
 */
export function historyValue(
  v: unknown,
  lang: Lang,
  words: { none: string; yes: string; no: string; rows: (n: string) => string },
  names: Map<string, string> = new Map(),
): string {
  if (v === null || v === undefined || v === '') return words.none;
  if (typeof v === 'boolean') return v ? words.yes : words.no;
  if (typeof v === 'number') return formatNumber(v, lang);
  if (typeof v === 'string') {
    if (DATE.test(v)) return formatDate(v, lang);
    return names.get(v) ?? v;
  }
  if (Array.isArray(v)) {
    if (v.length === 0) return words.none;
    if (v.every((x) => typeof x === 'string')) return v.map((x) => names.get(x as string) ?? x).join(', ');
    return words.rows(formatNumber(v.length, lang));
  }
  return JSON.stringify(v);
}

/** When a change was made, to the minute, in the UI's language. */
export function formatWhen(rfc3339: string, lang: Lang): string {
  const d = new Date(rfc3339);
  if (Number.isNaN(d.getTime())) return rfc3339;
  return new Intl.DateTimeFormat(localeTag(lang), { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}
