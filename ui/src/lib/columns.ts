// Choosing and ordering roster columns, and the presets that remember a choice.

/** What a saved roster preset holds: the columns in order, and whether it is redacted. */
export interface ColumnPreset {
  columns: string[];
  redact: boolean;
}

/** `keys` with the item at `from` moved by `by` places (clamped to the list). */
export function moveItem<T>(keys: readonly T[], from: number, by: number): T[] {
  const out = [...keys];
  const to = Math.max(0, Math.min(out.length - 1, from + by));
  if (from < 0 || from >= out.length || to === from) return out;
  const [item] = out.splice(from, 1);
  out.splice(to, 0, item as T);
  return out;
}

/**
 * The display order of every column: the chosen ones first in their chosen order, then
 * the others in core's order. Unknown keys (a preset from an older version) are dropped.
 */
export function columnOrder(all: readonly string[], chosen: readonly string[]): string[] {
  const known = new Set(all);
  const first = [...new Set(chosen.filter((k) => known.has(k)))];
  return [...first, ...all.filter((k) => !first.includes(k))];
}

/** A stored preset value read leniently: anything unusable gives `null`. */
export function readPreset(value: unknown): ColumnPreset | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as { columns?: unknown; redact?: unknown };
  if (!Array.isArray(v.columns) || !v.columns.every((c) => typeof c === 'string')) return null;
  return { columns: v.columns as string[], redact: v.redact === true };
}

/** The choices of an export, kept for the next one of this session. */
export interface ExportChoice {
  format: 'csv' | 'xlsx' | 'pdf' | 'json';
  /** The preset picked ('' for the default columns, 'redacted', `saved:<name>`). */
  preset: string;
  /** The columns chosen, in order, and whether sensitive fields were left out. */
  chosen: ColumnPreset;
  lang: 'en' | 'he';
  bom: boolean;
}

/**
 * The last export of this session: the export dialog opens on its choices (a
 * coordinator who sends redacted rosters to partners need not tick it every time). Not
 * kept past the session: each start of the app begins from the defaults.
 */
export const lastExport: { choice: ExportChoice | null } = { choice: null };
