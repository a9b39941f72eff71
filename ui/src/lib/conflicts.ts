// The conflict list of sync made readable: what each kind means, which entries can be
// restored (core restores a lost field value, or a removed record as a new one), how
// the lost and kept values read, where the record they concern opens, and which page of
// the list is shown.

import type { ConflictEntry } from '../bindings/ConflictEntry';
import { historyValue } from './history';
import { problemText } from './messages';
import type { Lang } from './i18n';
import type { Route } from './nav.svelte';

export const CONFLICT_KINDS = ['field', 'edit_deleted', 'removed', 'reference_cleared', 'duplicate_person', 'rule'] as const;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Whether Restore makes sense (core refuses the others: they are dismissed or merged). */
export function canRestore(c: ConflictEntry): boolean {
  if (c.resolved) return false;
  if (c.kind === 'field') return true;
  return (c.kind === 'removed' || c.kind === 'edit_deleted') && isRecord(c.lost_value);
}

/** Whether the entry offers a merge (the same person entered twice). */
export function canMerge(c: ConflictEntry): boolean {
  return !c.resolved && c.kind === 'duplicate_person';
}

/** The two people of a duplicate entry: the one kept as the record, and the other. */
export function duplicatePair(c: ConflictEntry): { survivor: string; duplicate: string } | null {
  if (c.kind !== 'duplicate_person' || !c.field || c.field === c.record_id) return null;
  return { survivor: c.record_id, duplicate: c.field };
}

export interface ValueWords {
  none: string;
  yes: string;
  no: string;
  rows: (n: string) => string;
  /** What a whole record (a removed one) is called. */
  record: string;
}

/** A lost or kept value as a coordinator reads it. */
export function conflictValue(v: unknown, lang: Lang, words: ValueWords): string {
  if (isRecord(v)) return words.record;
  return historyValue(v, lang, words);
}

/**
 * The rule a `rule` entry's merged record breaks, in `lang` (null for other kinds): each
 * change was valid on its laptop, together they are not, and the record is kept as
 * merged for the coordinator to correct.
 */
export function conflictRule(c: ConflictEntry, lang: Lang): string | null {
  return c.kind === 'rule' && c.rule ? problemText(c.rule, lang) : null;
}

/** Where the record of an entry opens (null: it is gone, or it opens through another). */
export function conflictRoute(c: ConflictEntry): Route | null {
  if (c.kind === 'removed' || c.kind === 'edit_deleted') return null;
  switch (c.entity) {
    case 'person':
      return { section: 'people', personId: c.record_id };
    case 'cohort':
      return { section: 'cohorts', cohortId: c.record_id };
    case 'program':
    case 'institution':
    case 'agreement':
    case 'fellowship':
      return { section: `${c.entity}s` as 'programs', id: c.record_id };
    case 'placement':
      return null; // opens in its cohort: the caller looks the cohort up
  }
}

/** The conflict list shows this many entries at a time (core lists them page by page). */
export const CONFLICT_PAGE = 50;

/**
 * Where the page shown should start once the list holds `total` entries: where it was,
 * unless that is past the end (resolving the entries of the last page, or hiding the
 * resolved ones), then at the last page.
 */
export function pageStart(offset: number, total: number, size: number = CONFLICT_PAGE): number {
  if (total <= 0) return 0;
  if (offset < total) return offset;
  return Math.floor((total - 1) / size) * size;
}

/** The ids of the people a page's duplicate entries name (both of each pair). */
export function duplicatePeople(entries: ConflictEntry[]): string[] {
  return entries.filter((c) => c.kind === 'duplicate_person').flatMap((c) => [c.record_id, c.field]);
}
