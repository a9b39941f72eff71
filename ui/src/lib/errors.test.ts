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
      problems: [{ field: 'orcid', message: 'the check digit does not match' }],
    };
    expect(describeError(e, FALLBACK)).toEqual({
      message: 'orcid: the check digit does not match',
      details: [],
      field: 'orcid',
    });
  });

  it('lists every problem, with its row, when there are several', () => {
    const e: IpcError = {
      code: 'invalid',
      message: 'row 2: email: not an e-mail address; row 3: the name is missing',
      problems: [
        { field: 'email', message: 'not an e-mail address', row: 2 },
        { field: '', message: 'the name is missing', row: 3 },
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

  it('recognises IpcErrors by shape', () => {
    expect(isIpcError({ code: 'not_found', message: 'no cohort with id x', problems: [] })).toBe(true);
    expect(isIpcError({ message: 'no code' })).toBe(false);
    expect(isIpcError(null)).toBe(false);
  });
});
