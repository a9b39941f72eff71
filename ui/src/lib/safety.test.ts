import { describe, expect, it } from 'vitest';
import { backupReason, formatBytes, newPassphraseProblem, openProblem, validKeep } from './safety';

describe('openProblem', () => {
  it('sends locked and wrong passphrases to the unlock screen', () => {
    expect(openProblem({ code: 'locked', message: 'x', problems: [] })).toBe('locked');
    expect(openProblem({ code: 'wrong_passphrase', message: 'x', problems: [] })).toBe('locked');
  });
  it('sends damage to the restore offer and anything else to the error screen', () => {
    expect(openProblem({ code: 'damaged', message: 'x', problems: [] })).toBe('damaged');
    expect(openProblem({ code: 'newer_schema', message: 'x', problems: [] })).toBe('other');
    expect(openProblem('boom')).toBe('other');
    expect(openProblem(null)).toBe('other');
  });
});

describe('newPassphraseProblem', () => {
  it('wants at least 8 characters, counted as characters not bytes', () => {
    expect(newPassphraseProblem('short', 'short')).toBe('safety.tooShort');
    expect(newPassphraseProblem('סיסמהארוכ', 'סיסמהארוכ')).toBeNull();
    expect(newPassphraseProblem('😀😀😀😀', '😀😀😀😀')).toBe('safety.tooShort');
  });
  it('wants the confirmation to match', () => {
    expect(newPassphraseProblem('correct horse', 'correct hörse')).toBe('safety.mismatch');
    expect(newPassphraseProblem('correct horse', 'correct horse')).toBeNull();
  });
});

describe('formatBytes', () => {
  it('uses decimal units with one digit below 100', () => {
    expect(formatBytes(980, 'en')).toBe('980 B');
    expect(formatBytes(12_345, 'en')).toBe('12.3 KB');
    expect(formatBytes(245_000_000, 'en')).toBe('245 MB');
    expect(formatBytes(2_400_000_000, 'en')).toBe('2.4 GB');
  });
  it('names the units in Hebrew in the Hebrew UI', () => {
    expect(formatBytes(602_000, 'he')).toBe('602 ק״ב');
    expect(formatBytes(980, 'he')).toBe('980 בתים');
    expect(formatBytes(45_100_000, 'he')).toBe('45.1 מ״ב');
  });
});

describe('validKeep', () => {
  it('accepts whole numbers from 1 to 1000', () => {
    expect(validKeep(1)).toBe(true);
    expect(validKeep(1000)).toBe(true);
    expect(validKeep(0)).toBe(false);
    expect(validKeep(1001)).toBe(false);
    expect(validKeep(2.5)).toBe(false);
    expect(validKeep(Number.NaN)).toBe(false);
  });
});

describe('backupReason', () => {
  it('groups the migration backups of every version', () => {
    expect(backupReason('before-migration-v2')).toBe('migration');
    expect(backupReason('daily')).toBe('daily');
    expect(backupReason('manual')).toBe('manual');
  });
});
