import { describe, expect, it } from 'vitest';
import { exportFileName } from './exportName';

describe('exportFileName', () => {
  it('makes a safe file name in any script and marks redacted rosters', () => {
    expect(exportFileName('AI Safety Fellows 2027', 'xlsx', false)).toBe('AI Safety Fellows 2027.xlsx');
    expect(exportFileName('מחזור א׳: חורף/אביב', 'csv', true)).toBe('מחזור א׳ חורף אביב - redacted.csv');
    expect(exportFileName('  ', 'json', false)).toBe('roster.json');
  });
});
