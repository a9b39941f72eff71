// Turning whatever a failed command rejected with into sentences a coordinator can read.

import type { IpcError } from '../bindings/IpcError';
import type { Lang } from './i18n';
import { problemText, renderMessage } from './messages';

export function isIpcError(e: unknown): e is IpcError {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as { code?: unknown }).code === 'string' &&
    typeof (e as { message?: unknown }).message === 'string'
  );
}

export interface ShownError {
  /** The sentence to show. */
  message: string;
  /** One line per problem when there are several (field and row named). */
  details: string[];
  /** The field the error concerns, for showing it under that field. */
  field?: string;
}

/**
 * What to show for an error: an IpcError's message and problems, the text of a plain
 * string (Tauri rejects with one when arguments do not deserialize) or of an Error,
 * and `fallback` for anything else. Never raw JSON.
 */
export function describeError(e: unknown, fallback: string, lang: Lang = 'en'): ShownError {
  if (isIpcError(e)) {
    const problems = Array.isArray(e.problems) ? e.problems : [];
    const details =
      problems.length > 1
        ? problems.map((p) => {
            const where = [p.row != null ? `row ${p.row}` : '', p.field].filter(Boolean).join(', ');
            // After "row 2, email:" the sentence goes on in lower case, as core writes it.
            const text = where ? renderMessage(p.code, p.params, lang, p.message) : problemText(p, lang);
            return where ? `${where}: ${text}` : text;
          })
        : [];
    // One problem: its sentence in `lang` (from its code), without the field (shown
    // apart); several: core's English summary, with each problem in `details`.
    const only = problems.length === 1 ? problems[0] : undefined;
    const message = only ? problemText(only, lang) : e.message.trim();
    return { message: message || fallback, details, field: e.field ?? undefined };
  }
  if (typeof e === 'string' && e.trim()) return { message: e.trim(), details: [] };
  if (e instanceof Error && e.message.trim()) return { message: e.message.trim(), details: [] };
  return { message: fallback, details: [] };
}

export function errorMessage(e: unknown, fallback: string, lang: Lang = 'en'): string {
  return describeError(e, fallback, lang).message;
}
