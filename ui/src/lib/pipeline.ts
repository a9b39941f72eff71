// Placements as rows of a roster or of the status pipeline: sorting, filtering, grouping
// by status, counts for a cohort's summary, and the next step of a placement. Core
// decides whether a move is allowed; this only arranges what is shown.

import type { BulkOutcome } from '../bindings/BulkOutcome';
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

/** What a placement table shows: filter, order, and whether grouped by status. */
export interface ViewQuery {
  text: string;
  status: string;
  screening: string;
  sort: SortKey;
  descending: boolean;
  grouped: boolean;
}

/** One page of a table's rows in its order, how many match, and how many per status. */
export interface RowPage {
  rows: PlacementRow[];
  total: number;
  /** Every row of the source (the cohort), matching or not. */
  sourceTotal: number;
  byStatus: Record<string, number>;
}

/** What a bulk change did: how many rows were written, and the refusals. */
export interface BulkResult {
  done: number;
  refused: BulkOutcome[];
}

/**
 * Where a placement table's rows come from, a page at a time: core (a cohort's roster,
 * however big) or rows already in memory (the pipeline's first page of each status).
 */
export interface RowSource {
  page(query: ViewQuery, offset: number, limit: number): Promise<RowPage>;
  /** Applies `patch` to every row `query` matches except `except` ("select all"). */
  updateMatching(query: ViewQuery, except: string[], patch: Record<string, unknown>): Promise<BulkResult>;
}

/** One line of a virtualised placement table: a status heading, a row (by its index), or
 *  one line naming a run of statuses that have no rows. */
export type TableLine =
  | { kind: 'group'; status: string; count: number }
  | { kind: 'row'; index: number }
  | { kind: 'empty'; statuses: string[] };

/**
 * The lines of a table of `total` rows: when grouped, a heading before each status's rows
 * (in lifecycle order; the rows come in that order), and statuses with no rows side by
 * side on one line where their headings would be (a cohort of six completed placements
 * shows one line for the five empty statuses before them, not five). `lineAt` maps a line
 * to a heading, a row index or a run of empty statuses; `count` is the number of lines.
 */
export function tableLayout(total: number, grouped: boolean, byStatus: Record<string, number>) {
  if (!grouped) {
    return { count: total, lineAt: (line: number): TableLine => ({ kind: 'row', index: line }) };
  }
  const statuses = [...STATUS_ORDER, ...Object.keys(byStatus).filter((s) => !(STATUS_ORDER as readonly string[]).includes(s))];
  // Each heading line: the status(es) it names and the row index its first row has.
  const groups: { statuses: string[]; line: number; first: number; count: number }[] = [];
  let line = 0;
  let first = 0;
  for (const status of statuses) {
    const count = byStatus[status] ?? 0;
    const last = groups[groups.length - 1];
    if (count === 0 && last && last.count === 0) {
      last.statuses.push(status);
      continue;
    }
    groups.push({ statuses: [status], line, first, count });
    line += 1 + count;
    first += count;
  }
  return {
    count: line,
    lineAt: (at: number): TableLine => {
      let g = groups[0];
      for (const group of groups) {
        if (group.line <= at) g = group;
        else break;
      }
      if (!g) return { kind: 'row', index: at };
      if (at === g.line) {
        return g.count === 0
          ? { kind: 'empty', statuses: g.statuses }
          : { kind: 'group', status: g.statuses[0] ?? '', count: g.count };
      }
      return { kind: 'row', index: g.first + (at - g.line - 1) };
    },
  };
}

/** A source over rows held in memory, filtered and sorted here. */
export function memorySource(rows: PlacementRow[], lang: Lang, update: (ids: string[], patch: Record<string, unknown>) => Promise<BulkResult>): RowSource {
  const arrange = (q: ViewQuery) => {
    const sorted = sortRows(filterRows(rows, q, lang), q.sort, q.descending, lang);
    return q.grouped ? groupByStatus(sorted).flatMap((g) => g.rows) : sorted;
  };
  return {
    async page(q, offset, limit) {
      const all = arrange(q);
      const byStatus: Record<string, number> = Object.fromEntries(STATUS_ORDER.map((s) => [s, 0]));
      for (const r of all) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
      return { rows: all.slice(offset, offset + limit), total: all.length, sourceTotal: rows.length, byStatus };
    },
    async updateMatching(q, except, patch) {
      const skip = new Set(except);
      return update(
        arrange(q)
          .map((r) => r.id)
          .filter((id) => !skip.has(id)),
        patch,
      );
    },
  };
}
