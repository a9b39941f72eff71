// The logic of record forms, kept out of the components so it can be tested: what a form
// field holds while the user types, how that becomes the JSON record core validates,
// which error goes under which field, and whether anything typed would be lost.
//
// Core is the judge of every rule. The checks here are only the light ones a form can
// make while the user types (a required field left empty, a date or an amount that is
// not written like one); everything else comes back from a save attempt as an IpcError
// whose problems name their fields.

import type { Entity } from '../bindings/Entity';
import { isIpcError } from './errors';
import type { CoreText } from './messages';

/** How a field is edited. */
export type FieldKind =
  | 'text'
  | 'textarea'
  | 'email'
  | 'url'
  | 'tel'
  | 'enum'
  | 'enumList'
  | 'bool'
  | 'count'
  | 'money'
  | 'date'
  | 'country'
  | 'countryList'
  | 'currency'
  | 'ref'
  | 'refList'
  | 'children';

export interface FieldSpec {
  /** The field's canonical name (domain.md), also its key in the record. */
  name: string;
  kind: FieldKind;
  /** Core refuses a record without it; the form says so as soon as the field is left. */
  required?: boolean;
  /** Values of an `enum` / `enumList` field, and the label group of their names. */
  options?: readonly string[];
  group?: string;
  /** The entity a `ref` / `refList` field points to. */
  ref?: Entity;
  /** For `money`: the field holding the currency (its decimals decide the minor units). */
  currencyField?: string;
  /** Direction of what is typed: `ltr` for e-mails and codes, `rtl` for Hebrew names. */
  dir?: 'ltr' | 'rtl' | 'auto';
  /** For `children`: the fields of one row. */
  children?: FieldSpec[];
  /** Not part of the record: a choice the form's own save function uses. */
  virtual?: boolean;
  /** Read-only in this form (shown, never sent). */
  readonly?: boolean;
}

/** What a form holds for one field while the user edits it. */
export type FormValue = string | boolean | string[] | FormRow[];
export type FormRow = Record<string, string | boolean>;
export type FormValues = Record<string, FormValue>;
export type RecordValue = Record<string, unknown>;

// ---------------------------------------------------------------- money

/** Decimal places of a currency's minor unit (USD and ILS: 2; JPY: 0). */
export function currencyDigits(currency: string | null | undefined): number {
  const code = (currency ?? '').trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(code)) return 2;
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions()
      .maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/**
 * An amount typed in major units ("16,000", "1 250.50", "16000.5") → minor units, or
 * null when it is not an amount. Group separators (comma, space, apostrophe) are
 * ignored; the decimal separator is a point.
 */
export function parseMoney(text: string, digits = 2): number | null {
  const t = text.trim().replace(/[\s,'\u00a0\u202f]/g, '');
  if (!t) return null;
  const m = /^(\d+)(?:\.(\d*))?$/.exec(t);
  if (!m) return null;
  const whole = m[1] ?? '0';
  const frac = m[2] ?? '';
  if (frac.length > digits) return null;
  const minor = Number(whole) * 10 ** digits + Number(frac.padEnd(digits, '0') || '0');
  return Number.isSafeInteger(minor) ? minor : null;
}

/** Minor units → the plain major-unit text a money field starts with ("16000.00"). */
export function moneyText(minor: unknown, digits = 2): string {
  if (typeof minor !== 'number' || !Number.isFinite(minor)) return '';
  return digits === 0 ? String(minor) : (minor / 10 ** digits).toFixed(digits);
}

// ---------------------------------------------------------------- record ⇄ form

function str(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return '';
}

/** The form values of a record (or of an empty one, with `defaults` filled in). */
export function toForm(fields: FieldSpec[], record: RecordValue = {}): FormValues {
  const out: FormValues = {};
  for (const f of fields) {
    const v = record[f.name];
    switch (f.kind) {
      case 'bool':
        out[f.name] = v === true;
        break;
      case 'enumList':
      case 'refList':
        out[f.name] = Array.isArray(v) ? v.map(str) : [];
        break;
      case 'countryList':
        out[f.name] = Array.isArray(v) ? v.map(str).join(', ') : str(v);
        break;
      case 'money': {
        const currency = f.currencyField ? str(record[f.currencyField]) : '';
        out[f.name] = typeof v === 'string' ? v : moneyText(v, currencyDigits(currency));
        break;
      }
      case 'children': {
        const rows = Array.isArray(v) ? v : [];
        const childFields = f.children ?? [];
        const currency = childCurrency(f, record);
        out[f.name] = rows.map((row) => childRow(childFields, (row ?? {}) as RecordValue, currency));
        break;
      }
      default:
        out[f.name] = str(v);
    }
  }
  return out;
}

function childCurrency(f: FieldSpec, record: RecordValue): string {
  const moneyField = f.children?.find((c) => c.kind === 'money');
  return moneyField?.currencyField ? str(record[moneyField.currencyField]) : '';
}

function childRow(fields: FieldSpec[], row: RecordValue, currency: string): FormRow {
  const out: FormRow = {};
  for (const c of fields) {
    const v = row[c.name];
    if (c.kind === 'bool') out[c.name] = v === true;
    else if (c.kind === 'money') out[c.name] = moneyText(v, currencyDigits(currency));
    else out[c.name] = str(v);
  }
  return out;
}

/** An empty row of a `children` field. */
export function blankRow(f: FieldSpec): FormRow {
  return childRow(f.children ?? [], {}, '');
}

function textOrNull(v: FormValue | undefined): string | null {
  return typeof v === 'string' && v.trim() ? v.trim() : null;
}

/** A whole number, or the text itself so that core names the problem. */
function count(v: FormValue | undefined): number | string | null {
  const t = textOrNull(v);
  if (t === null) return null;
  return /^\d+$/.test(t) ? Number(t) : t;
}

function money(v: FormValue | undefined, digits: number): number | string | null {
  const t = textOrNull(v);
  if (t === null) return null;
  return parseMoney(t, digits) ?? t;
}

/** The JSON record core receives: trimmed text, empty as null, numbers as numbers. */
export function toRecord(fields: FieldSpec[], values: FormValues): RecordValue {
  const out: RecordValue = {};
  for (const f of fields) {
    if (f.virtual || f.readonly) continue;
    const v = values[f.name];
    switch (f.kind) {
      case 'bool':
        out[f.name] = v === true;
        break;
      case 'enumList':
      case 'refList':
        out[f.name] = Array.isArray(v) ? (v as string[]).filter(Boolean) : [];
        break;
      case 'countryList':
        out[f.name] =
          typeof v === 'string'
            ? v
                .split(/[,;\s]+/)
                .map((s) => s.trim().toUpperCase())
                .filter(Boolean)
            : [];
        break;
      case 'count':
        out[f.name] = count(v);
        break;
      case 'money':
        out[f.name] = money(v, currencyDigits(f.currencyField ? str(values[f.currencyField]) : ''));
        break;
      case 'country':
      case 'currency': {
        const t = textOrNull(v);
        out[f.name] = t === null ? null : t.toUpperCase();
        break;
      }
      case 'children': {
        const rows = Array.isArray(v) ? (v as FormRow[]) : [];
        const moneyField = f.children?.find((c) => c.kind === 'money');
        const digits = currencyDigits(
          moneyField?.currencyField ? str(values[moneyField.currencyField]) : '',
        );
        out[f.name] = rows.map((row) => {
          const item: RecordValue = {};
          for (const c of f.children ?? []) {
            const cv = row[c.name];
            if (c.kind === 'bool') item[c.name] = cv === true;
            else if (c.kind === 'count') item[c.name] = count(cv);
            else if (c.kind === 'money') item[c.name] = money(cv, digits);
            else item[c.name] = textOrNull(cv);
          }
          return item;
        });
        break;
      }
      default:
        out[f.name] = textOrNull(v);
    }
  }
  return out;
}

/** The fields of `next` that differ from `base` (the patch of an edit). */
export function diffRecord(base: RecordValue, next: RecordValue): RecordValue {
  const patch: RecordValue = {};
  for (const [key, value] of Object.entries(next)) {
    if (JSON.stringify(value ?? null) !== JSON.stringify(base[key] ?? null)) patch[key] = value;
  }
  return patch;
}

/** Whether anything typed would be lost by leaving the form now. */
export function isDirty(initial: FormValues, current: FormValues): boolean {
  return JSON.stringify(normalise(initial)) !== JSON.stringify(normalise(current));
}

function normalise(values: FormValues): FormValues {
  const out: FormValues = {};
  for (const key of Object.keys(values).sort()) {
    const v = values[key];
    out[key] = typeof v === 'string' ? v.trim() : (v as FormValue);
  }
  return out;
}

/**
 * The values to start the next record with after "Save and add another": the `keep`
 * fields (cohort, home institution, program…) as they were, everything else empty.
 */
export function carryOver(fields: FieldSpec[], values: FormValues, keep: readonly string[]): FormValues {
  const fresh = toForm(fields);
  for (const name of keep) {
    if (name in values) fresh[name] = JSON.parse(JSON.stringify(values[name])) as FormValue;
  }
  return fresh;
}

// ---------------------------------------------------------------- errors under fields

/** Messages by field path (`orcid`, `tranches[1].amount_minor`); `''` = the whole record. */
export type FieldErrors<T = string> = Record<string, T[]>;

/** Field paths of core's problems → their messages (code, parameters and English text). */
export function problemsByField(error: unknown): FieldErrors<CoreText> {
  const out: FieldErrors<CoreText> = {};
  if (!isIpcError(error)) return out;
  const problems = Array.isArray(error.problems) ? error.problems : [];
  if (!problems.length) {
    (out[error.field ?? ''] ??= []).push({ message: error.message });
    return out;
  }
  for (const p of problems) (out[p.field] ??= []).push(p);
  return out;
}

/** `tranches[1].amount_minor` → `['tranches', 1, 'amount_minor']`. */
export function parsePath(path: string): { field: string; index?: number; child?: string } {
  const m = /^([^[.]+)(?:\[(\d+)\](?:\.(.+))?)?$/.exec(path);
  if (!m) return { field: path };
  return {
    field: m[1] ?? path,
    index: m[2] !== undefined ? Number(m[2]) : undefined,
    child: m[3],
  };
}

/**
 * Splits errors between those the form can show under one of its fields (or a cell of
 * a row) and those it cannot place, which it shows above the footer.
 */
export function placeErrors(
  fields: FieldSpec[],
  errors: FieldErrors,
): { placed: FieldErrors; unplaced: string[] } {
  const placed: FieldErrors = {};
  const unplaced: string[] = [];
  const shown = new Set(fields.filter((f) => !f.readonly).map((f) => f.name));
  const rows = new Set(fields.filter((f) => f.kind === 'children').map((f) => f.name));
  for (const [path, messages] of Object.entries(errors)) {
    const { field } = parsePath(path);
    // An item of a list typed in one box (`citizenships[0]`) is that box's error; only
    // rows of a table of children have a place of their own.
    const at = rows.has(field) ? path : field;
    if (path && shown.has(field)) (placed[at] ??= []).push(...messages);
    else unplaced.push(...messages.map((m) => (path ? `${path}: ${m}` : m)));
  }
  return { placed, unplaced };
}

/** The first field path with an error, in the order of the form (for focusing it). */
export function firstErrorPath(fields: FieldSpec[], errors: FieldErrors<unknown>): string | null {
  const paths = Object.keys(errors).filter(Boolean);
  for (const f of fields) {
    const mine = paths
      .filter((p) => parsePath(p).field === f.name)
      .sort((a, b) => (parsePath(a).index ?? -1) - (parsePath(b).index ?? -1));
    if (mine[0]) return f.kind === 'children' ? mine[0] : f.name;
  }
  return null;
}

// ---------------------------------------------------------------- light checks

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A date typed day and month first, as on an Israeli or US form (`14/03/1997`, `3.4.1997`,
 * `3-4-1997`), written YYYY-MM-DD: day first when the first part cannot be a month, month
 * first when the second cannot, else in the order of the UI's language (Hebrew: day
 * first) — in English such a date is left as typed, for the check to ask for the ISO form.
 * Anything else is returned as it is.
 */
export function typedDate(text: string, lang: 'en' | 'he'): string {
  const m = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/.exec(text);
  if (!m) return text;
  const [a, b, year] = [Number(m[1]), Number(m[2]), m[3] as string];
  let day: number, month: number;
  if (a > 12 && b <= 12) [day, month] = [a, b];
  else if (b > 12 && a <= 12) [day, month] = [b, a];
  else if ((a === b || lang === 'he') && b <= 12) [day, month] = [a, b];
  else return text;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${year}-${pad(month)}-${pad(day)}`;
}

export type CheckKey = 'required' | 'date' | 'amount' | 'count';

/**
 * The light check of one value while the user types: a required field left empty, a
 * date not written YYYY-MM-DD, an amount or a number that is not one. Returns the key of
 * the message (translated by the caller) or null.
 */
export function checkValue(f: FieldSpec, v: FormValue | undefined): CheckKey | null {
  const empty =
    v === undefined ||
    (typeof v === 'string' && !v.trim()) ||
    (Array.isArray(v) && v.length === 0);
  if (empty) return f.required && f.kind !== 'bool' ? 'required' : null;
  if (typeof v !== 'string') return null;
  const t = v.trim();
  if (f.kind === 'date' && !ISO_DATE.test(t)) return 'date';
  if (f.kind === 'money' && parseMoney(t, 6) === null) return 'amount';
  if (f.kind === 'count' && !/^\d+$/.test(t)) return 'count';
  return null;
}

/** Light checks of a whole form (rows of children included), by field path. */
export function checkForm(fields: FieldSpec[], values: FormValues): Record<string, CheckKey> {
  const out: Record<string, CheckKey> = {};
  for (const f of fields) {
    if (f.readonly) continue;
    if (f.kind === 'children') {
      const rows = (values[f.name] as FormRow[] | undefined) ?? [];
      rows.forEach((row, i) => {
        for (const c of f.children ?? []) {
          const key = checkValue(c, row[c.name]);
          if (key) out[`${f.name}[${i}].${c.name}`] = key;
        }
      });
      continue;
    }
    const key = checkValue(f, values[f.name]);
    if (key) out[f.name] = key;
  }
  return out;
}
