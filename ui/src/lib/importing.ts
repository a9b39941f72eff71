// The logic of the import wizard, kept out of the component so it can be tested: the
// column mapping the user edits (and saves as a named preset), what a refused dry run
// asks for, the problems in row order, and which probable duplicates to merge once the
// real import has given the new people their ids.

import type { ColumnMatch } from '../bindings/ColumnMatch';
import type { DuplicateHint } from '../bindings/DuplicateHint';
import type { Problem } from '../bindings/Problem';
import type { RowChange } from '../bindings/RowChange';
import type { ImportEntity } from './api';
import { isIpcError } from './errors';
import { formatNumber, isolate } from './format';
import { translate, type Lang } from './i18n';

/** A column the import leaves out. */
export const IGNORE = 'ignore';

/** Column header → the field it fills, or IGNORE. */
export type Mapping = Record<string, string>;

/** The mapping a dry run settled on (automatic matches plus any given mapping). */
export function mappingOf(columns: ColumnMatch[]): Mapping {
  const out: Mapping = {};
  for (const c of columns) out[c.header] = c.field ?? IGNORE;
  return out;
}

/**
 * Whether core lets two columns fill `field` (as the wizard names it): a name written in
 * Latin letters in one column and in Hebrew in another goes to each script's field (a
 * row with two different names in one script is a problem of that row). Any other field
 * filled twice refuses the file.
 */
export function splitsByScript(entity: ImportEntity, field: string): boolean {
  return entity === 'institution' ? field === 'name' : field === 'given_name' || field === 'family_name';
}

/**
 * For each column (by header) mapped to a field that another column fills too: the other
 * headers, in the file's order. Columns left out, and fields filled once, are not listed.
 */
export function sharedFields(headers: readonly string[], mapping: Mapping): Map<string, string[]> {
  const byField = new Map<string, string[]>();
  for (const header of headers) {
    const field = mapping[header] ?? IGNORE;
    if (field === IGNORE) continue;
    byField.set(field, [...(byField.get(field) ?? []), header]);
  }
  const out = new Map<string, string[]>();
  for (const same of byField.values()) {
    if (same.length < 2) continue;
    for (const header of same) out.set(header, same.filter((h) => h !== header));
  }
  return out;
}

/** Headers compared as a person would: case, spaces and punctuation aside. */
export function headerKey(header: string): string {
  return header
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
}

/**
 * `current` with the choices of a saved mapping for the headers this file has (matched
 * loosely); headers the preset does not name keep their current field.
 */
export function applyPreset(current: Mapping, preset: Mapping): Mapping {
  const byKey = new Map(Object.entries(preset).map(([h, f]) => [headerKey(h), f]));
  const out: Mapping = {};
  for (const [header, field] of Object.entries(current)) {
    out[header] = byKey.get(headerKey(header)) ?? field;
  }
  return out;
}

/** A saved mapping: the entity it is for and the choices. */
export interface MappingPreset {
  entity: ImportEntity;
  mapping: Mapping;
}

export function presetValue(entity: ImportEntity, mapping: Mapping): MappingPreset {
  return { entity, mapping: { ...mapping } };
}

/** A stored preset read back (null when it is not one of ours). */
export function readPreset(value: unknown): MappingPreset | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as { entity?: unknown; mapping?: unknown };
  if (v.entity !== 'person' && v.entity !== 'institution' && v.entity !== 'placement') return null;
  if (typeof v.mapping !== 'object' || v.mapping === null) return null;
  const mapping: Mapping = {};
  for (const [h, f] of Object.entries(v.mapping as Record<string, unknown>)) {
    if (typeof f === 'string') mapping[h] = f;
  }
  return { entity: v.entity, mapping };
}

/** The names of the saved presets for `entity`, sorted. */
export function presetNames(presets: Record<string, unknown>, entity: ImportEntity): string[] {
  return Object.entries(presets)
    .filter(([, v]) => readPreset(v)?.entity === entity)
    .map(([name]) => name)
    .sort((a, b) => a.localeCompare(b));
}

/** The fields a column's select offers: those of the entity, plus the one it has now. */
export function fieldChoices(fields: readonly string[], current: string): string[] {
  return current && current !== IGNORE && !fields.includes(current) ? [current, ...fields] : [...fields];
}

/** Whether a refused dry run asks which order the file's dates are in. */
export function asksDateOrder(error: unknown): boolean {
  if (!isIpcError(error)) return false;
  return error.field === 'date_order' || error.problems.some((p) => p.field === 'date_order');
}

/**
 * Whether a dry run's report asks which order the file's dates are in: core reports the
 * file's other problems with it, so it comes as a report, not as an error.
 */
export function reportAsksDateOrder(report: { problems: readonly { field: string }[] }): boolean {
  return report.problems.some((p) => p.field === 'date_order');
}

/**
 * The sheets of a workbook a report names as not read (they have the import's columns
 * and rows), added to those named before: the wizard's sheet choice.
 */
export function otherSheets(
  report: { warning_messages: readonly { code: string; params: Partial<Record<string, string>> }[] },
  known: readonly string[],
): string[] {
  const names = [...known];
  for (const w of report.warning_messages) {
    const sheet = w.params.sheet;
    const notRead = w.code === 'import.sheet_not_read' || w.code === 'import.hidden_sheet_not_read';
    if (notRead && sheet !== undefined && !names.includes(sheet)) names.push(sheet);
  }
  return names;
}

/** Problems in the order of the file (rows, then as core listed them). */
export function problemsInOrder(problems: Problem[]): Problem[] {
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (a.p.row ?? 0) - (b.p.row ?? 0) || a.i - b.i)
    .map(({ p }) => p);
}

/**
 * The merges to make after the real import: for each hint the user ticked in the
 * preview (by row, with the index of the existing person chosen), the new person of
 * that row (from the real run's hints, which carry the ids) into the existing one.
 */
export function mergePlan(
  written: DuplicateHint[],
  chosen: ReadonlyMap<number, number>,
): { row: number; survivor: string; duplicate: string }[] {
  const plan: { row: number; survivor: string; duplicate: string }[] = [];
  for (const hint of written) {
    const index = chosen.get(hint.row);
    if (index === undefined || !hint.person_id) continue;
    const match = hint.matches[index] ?? hint.matches[0];
    if (!match || match[0] === hint.person_id) continue;
    plan.push({ row: hint.row, survivor: match[0], duplicate: hint.person_id });
  }
  return plan;
}

/**
 * The label of a field a column can fill: the import's own name for it (name columns
 * take either script, each name going to the Latin or the Hebrew field), else the
 * form's label of that field (or of its `_id` reference), else the name itself.
 */
export function importFieldLabel(lang: Lang, entity: ImportEntity, field: string): string {
  const keys = [
    `import.field.${field}`,
    `field.${entity}.${field}`,
    `field.${entity}.${field}_id`,
    `field.person.${field}`,
    `field.person.${field}_id`,
    `import.field.${field}`,
  ];
  for (const key of keys) {
    const label = translate(lang, key);
    if (label !== key) return label;
  }
  return field;
}

/** Delimiters core names in a CSV file's kind (`'x'` or `tab`), by the word for them. */
const DELIMITERS: Record<string, string> = { "','": 'comma', "';'": 'semicolon', tab: 'tab', "'|'": 'pipe' };

/**
 * The kind of file and its rows, for people: core's "csv (UTF-8, ',')" and a count of 3
 * read "CSV, UTF-8, comma-separated · 3 rows" (in the UI's language); "xlsx" an Excel
 * workbook. A kind this version does not know is shown as it came.
 */
export function fileSummary(kind: string, rows: number, lang: Lang, sheet: string | null = null, notRead: readonly string[] = []): string {
  const count = rows === 1 ? translate(lang, 'import.rowsOne') : translate(lang, 'import.rowsFound', { rows: formatNumber(rows, lang) });
  const quoted = (name: string) => translate(lang, 'import.quoted', { header: isolate(name) });
  // A workbook: the sheet read, and the other sheets with rows that were not.
  const sheets =
    sheet === null
      ? ''
      : ` · ${translate(lang, 'import.sheetRead', { sheet: quoted(sheet) })}` +
        (notRead.length ? ` (${translate(lang, 'import.sheetsNotRead', { sheets: notRead.map(quoted).join(', ') })})` : '');
  return `${fileKindText(kind, lang)}${sheets} · ${count}`;
}

function fileKindText(kind: string, lang: Lang): string {
  if (kind === 'xlsx' || kind === 'json') return translate(lang, `import.kind.${kind}`);
  const csv = /^csv \((.+), (tab|'.')\)$/.exec(kind);
  if (!csv) return isolate(kind);
  const [, encoding = '', delimiter = ''] = csv;
  const word = DELIMITERS[delimiter];
  return translate(lang, 'import.kind.csv', {
    encoding: isolate(encoding),
    delimiter: word
      ? translate(lang, `import.delimiter.${word}`)
      : translate(lang, 'import.delimiter.other', { char: isolate(delimiter.slice(1, -1)) }),
  });
}

/**
 * The rows a preview lists: those that add or update a record, and those that change
 * the person they name (a placement file's row may leave its placement as it is).
 */
export function changingRows(changes: RowChange[]): RowChange[] {
  return changes.filter((c) => c.action !== 'unchanged' || c.person !== null);
}

/**
 * What a row does to an existing person, in words: the person as stored (a file's row
 * may give another name) and the fields it changes; null when it changes no one.
 */
export function personChangeText(lang: Lang, entity: ImportEntity, change: RowChange): string | null {
  const p = change.person;
  if (!p) return null;
  // A stored field by the person form's label (an import column's may take either script).
  const label = (f: string) => {
    const form = translate(lang, `field.person.${f}`);
    return form === `field.person.${f}` ? importFieldLabel(lang, 'person', f) : form;
  };
  const fields = p.fields.map(label).join(', ');
  if (entity !== 'person') return translate(lang, 'import.updatesPerson', { name: isolate(p.name), fields });
  const changes = translate(lang, 'import.changedFields', { fields });
  // Core names a person in both scripts (`Latin · Hebrew`): a row giving one of them is theirs.
  if (change.name === p.name || p.name.split(' · ').includes(change.name)) return changes;
  return `${translate(lang, 'import.nameInFile', { name: isolate(change.name) })} · ${changes}`;
}
