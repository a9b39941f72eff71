// Placements as rows of a roster or of the status pipeline: sorting, filtering, grouping
// by status, counts for a cohort's summary, and the next step of a placement. Core
// decides whether a move is allowed; this only arranges what is shown.

import type { RosterRow } from '../bindings/RosterRow';
import { personNames, type PersonNames } from './format';
import type { Lang } from './i18n';

/** The main line of a placement's life, then the two ways out of it. */
export const PIPELINE = ['nominated', 'applied', 'accepted', 'confirmed', 'active', 'completed'] as const;
export const STATUS_ORDER = [...PIPELINE, 'withdrawn', 'declined'] as const;
export const FINAL = new Set(['completed', 'withdrawn', 'declined']);
/** Statuses that no longer hold a place in a cohort. */
export const RELEASED = new Set(['withdrawn', 'declined']);
export const SCREENING_ORDER = ['not_required', 'pending', 'cleared', 'flagged'] as const;

/** One placement as a row, whichever list it comes from. */
export interface PlacementRow extends PersonNames {
  id: string;
  person_id: string;
  cohort_id: string;
  cohort_name: string;
  email: string | null;
  home_institution: string | null;
  host_institution: string | null;
  /** The institutions' Hebrew names, when they have one (shown in a Hebrew UI). */
  home_institution_he?: string | null;
  host_institution_he?: string | null;
  direction: string | null;
  role: string;
  status: string;
  screening: string;
  checklist_done: number;
  checklist_total: number;
}

export function fromRoster(r: RosterRow, cohortId: string, cohortName: string): PlacementRow {
  return {
    id: r.placement_id,
    person_id: r.person_id,
    cohort_id: cohortId,
    cohort_name: cohortName,
    given_name: r.given_name,
    family_name: r.family_name,
    given_name_he: r.given_name_he,
    family_name_he: r.family_name_he,
    email: r.email,
    home_institution: r.home_institution,
    host_institution: r.host_institution,
    home_institution_he: r.home_institution_he,
    host_institution_he: r.host_institution_he,
    direction: r.direction,
    role: r.role,
    status: r.status,
    screening: r.screening,
    checklist_done: r.checklist_done,
    checklist_total: r.checklist_total,
  };
}

/** A row's home or host institution in the UI language (the Hebrew name when there is one). */
export function institutionName(r: PlacementRow, which: 'home' | 'host', lang: Lang): string {
  const latin = which === 'home' ? r.home_institution : r.host_institution;
  const hebrew = which === 'home' ? r.home_institution_he : r.host_institution_he;
  return (lang === 'he' ? (hebrew ?? latin) : (latin ?? hebrew)) ?? '';
}

/** The next step on the main line, or null when there is none (final or last). */
export function nextStatus(status: string): string | null {
  const i = (PIPELINE as readonly string[]).indexOf(status);
  if (i < 0 || i >= PIPELINE.length - 1) return null;
  return PIPELINE[i + 1] ?? null;
}

export type SortKey =
  | 'name'
  | 'cohort'
  | 'home'
  | 'host'
  | 'direction'
  | 'role'
  | 'status'
  | 'screening'
  | 'checklist';

function rank(order: readonly string[], value: string): number {
  const i = order.indexOf(value);
  return i < 0 ? order.length : i;
}

/** Sorts rows by a column (status and screening in lifecycle order), name as tie-break. */
export function sortRows(rows: PlacementRow[], key: SortKey, descending: boolean, lang: Lang): PlacementRow[] {
  const collator = new Intl.Collator(lang === 'he' ? 'he' : 'en', { sensitivity: 'base', numeric: true });
  const name = (r: PlacementRow) => {
    const latin = [r.family_name, r.given_name].filter(Boolean).join(' ');
    const hebrew = [r.family_name_he, r.given_name_he].filter(Boolean).join(' ');
    return lang === 'he' ? hebrew || latin : latin || hebrew;
  };
  const value = (r: PlacementRow): string | number => {
    switch (key) {
      case 'name':
        return name(r);
      case 'cohort':
        return r.cohort_name;
      case 'home':
        return institutionName(r, 'home', lang);
      case 'host':
        return institutionName(r, 'host', lang);
      case 'direction':
        return r.direction ?? '';
      case 'role':
        return r.role;
      case 'status':
        return rank(STATUS_ORDER, r.status);
      case 'screening':
        return rank(SCREENING_ORDER, r.screening);
      case 'checklist':
        return r.checklist_total ? r.checklist_done / r.checklist_total : -1;
    }
  };
  const sign = descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    const c =
      typeof va === 'number' && typeof vb === 'number' ? va - vb : collator.compare(String(va), String(vb));
    return c !== 0 ? sign * c : collator.compare(name(a), name(b));
  });
}

export interface RowFilter {
  text: string;
  status: string;
  screening: string;
}

/** Rows whose name (either script) or e-mail contains the text, with that status and screening. */
export function filterRows(rows: PlacementRow[], filter: RowFilter, lang: Lang): PlacementRow[] {
  const fold = (s: string) =>
    s
      .normalize('NFD')
      .replace(/[\u0300-\u036f\u0591-\u05c7]/g, '')
      .toLowerCase();
  const needle = fold(filter.text.trim());
  return rows.filter((r) => {
    if (filter.status && r.status !== filter.status) return false;
    if (filter.screening && r.screening !== filter.screening) return false;
    if (!needle) return true;
    const names = personNames(r, lang);
    const hay = fold([names.primary, names.secondary, r.email ?? '', r.cohort_name].join(' '));
    return hay.includes(needle);
  });
}

/** Rows grouped by status in lifecycle order; every status present, empty or not. */
export function groupByStatus(rows: PlacementRow[]): { status: string; rows: PlacementRow[] }[] {
  const groups = new Map<string, PlacementRow[]>(STATUS_ORDER.map((s) => [s, []]));
  for (const r of rows) {
    const list = groups.get(r.status);
    if (list) list.push(r);
    else groups.set(r.status, [r]);
  }
  return [...groups].map(([status, list]) => ({ status, rows: list }));
}

/** One line of a virtualised placement table: every line has the same height. */
export type TableLine =
  | { kind: 'group'; key: string; status: string; count: number }
  | { kind: 'row'; key: string; row: PlacementRow }
  | { kind: 'refusal'; key: string; row: PlacementRow };

/**
 * The lines a placement table draws, in order: a heading per status group (when grouped),
 * each row, and under a row whose move was refused a line with the reason.
 */
export function tableLines(
  groups: { status: string; rows: PlacementRow[] }[],
  grouped: boolean,
  refused: (id: string) => boolean,
): TableLine[] {
  const out: TableLine[] = [];
  for (const g of groups) {
    if (grouped) out.push({ kind: 'group', key: `g:${g.status}`, status: g.status, count: g.rows.length });
    for (const r of g.rows) {
      out.push({ kind: 'row', key: `r:${r.id}`, row: r });
      if (refused(r.id)) out.push({ kind: 'refusal', key: `x:${r.id}`, row: r });
    }
  }
  return out;
}

export interface CohortSummary {
  /** Placements that hold a place (not withdrawn or declined), all roles. */
  used: number;
  byScreening: Record<string, number>;
  checklistDone: number;
  checklistTotal: number;
  /** Placements whose checklist is complete (every item verified, at least one item). */
  complete: number;
}

export function summarise(rows: PlacementRow[]): CohortSummary {
  const byScreening: Record<string, number> = Object.fromEntries(SCREENING_ORDER.map((s) => [s, 0]));
  let used = 0;
  let done = 0;
  let total = 0;
  let complete = 0;
  for (const r of rows) {
    if (!RELEASED.has(r.status)) used++;
    byScreening[r.screening] = (byScreening[r.screening] ?? 0) + 1;
    done += r.checklist_done;
    total += r.checklist_total;
    if (r.checklist_total > 0 && r.checklist_done === r.checklist_total) complete++;
  }
  return { used, byScreening, checklistDone: done, checklistTotal: total, complete };
}
