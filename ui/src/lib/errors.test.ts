import { describe, expect, it } from 'vitest';
import type { IpcError } from '../bindings/IpcError';
import { describeError, errorMessage, isIpcError } from './errors';

const FALLBACK = 'An unexpected error occurred.';

describe('describeError', () => {
  it('shows the message of an IpcError and the field it concerns', () => {
    const e: IpcError = {
      code: 'invalid',
      message: 'orcid: the check digit does not match',
      field: 'orcid',
      problems: [{ field: 'orcid', message: 'the check digit does not match', code: 'test.unknown', params: {} }],
    };
    expect(describeError(e, FALLBACK)).toEqual({
      message: 'The check digit does not match',
      details: [],
      field: 'orcid',
    });
  });

  it('lists every problem, with its row, when there are several', () => {
    const e: IpcError = {
      code: 'invalid',
      message: 'row 2: email: not an e-mail address; row 3: the name is missing',
      problems: [
        { field: 'email', message: 'not an e-mail address', code: 'test.unknown', params: {}, row: 2 },
        { field: '', message: 'the name is missing', code: 'test.unknown', params: {}, row: 3 },
      ],
    };
    expect(describeError(e, FALLBACK).details).toEqual([
      'row 2, email: not an e-mail address',
      'row 3: the name is missing',
    ]);
  });

  it('reads plain strings and Errors, and never shows raw JSON', () => {
    expect(errorMessage('invalid args `choice` for command `set_onboarding`', FALLBACK)).toBe(
      'invalid args `choice` for command `set_onboarding`',
    );
    expect(errorMessage(new TypeError('window.__TAURI_INTERNALS__ is undefined'), FALLBACK)).toBe(
      'window.__TAURI_INTERNALS__ is undefined',
    );
    expect(errorMessage({ unexpected: true }, FALLBACK)).toBe(FALLBACK);
    expect(errorMessage(undefined, FALLBACK)).toBe(FALLBACK);
    expect(errorMessage({ code: 'internal', message: '  ', problems: [] }, FALLBACK)).toBe(FALLBACK);
  });

  it('renders a problem from its code in the language asked for', () => {
    const e: IpcError = {
      code: 'invalid',
      message: 'start_date: "2027-02-31" is not a date in the form YYYY-MM-DD',
      field: 'start_date',
      problems: [
        {
          field: 'start_date',
          message: '"2027-02-31" is not a date in the form YYYY-MM-DD',
          code: 'value.not_iso_date',
          params: { value: '2027-02-31' },
        },
      ],
    };
    expect(describeError(e, FALLBACK, 'en').message).toBe('"2027-02-31" is not a date in the form YYYY-MM-DD');
    expect(describeError(e, FALLBACK, 'he').message).toBe('„\u20682027-02-31\u2069” אינו תאריך בתבנית YYYY-MM-DD');
  });

  it('recognises IpcErrors by shape', () => {
    expect(isIpcError({ code: 'not_found', message: 'no cohort with id x', problems: [] })).toBe(true);
    expect(isIpcError({ message: 'no code' })).toBe(false);
    expect(isIpcError(null)).toBe(false);
  });
});
