import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../bindings/HistoryEntry';
import { groupHistory, historyValue } from './history';

const words = { none: '—', yes: 'Yes', no: 'No', rows: (n: string) => `${n} rows` };

function entry(seq: number, over: Partial<HistoryEntry>): HistoryEntry {
  return {
    seq,
    op: 'update',
    field: 'email',
    old_value: null,
    new_value: null,
    changed_at: '2027-01-01T10:00:00Z',
    device_id: 'd',
    device_name: 'Laptop',
    ...over,
  };
}

describe('groupHistory', () => {
  it('groups the fields of one write, newest write first', () => {
    const groups = groupHistory([
      entry(1, { op: 'create', field: 'given_name' }),
      entry(2, { op: 'create', field: 'family_name' }),
      entry(3, { changed_at: '2027-02-01T10:00:00Z' }),
    ]);
    expect(groups.map((g) => [g.op, g.entries.length])).toEqual([
      ['update', 1],
      ['create', 2],
    ]);
  });
});

describe('historyValue', () => {
  it('writes values as a coordinator would', () => {
    expect(historyValue(null, 'en', words)).toBe('—');
    expect(historyValue(true, 'en', words)).toBe('Yes');
    expect(historyValue('2027-09-01', 'en', words)).toBe('Sep 1, 2027');
    expect(historyValue(['US', 'IL'], 'en', words)).toBe('US, IL');
    expect(historyValue([{ due_date: 'x' }, {}], 'en', words)).toBe('2 rows');
    expect(historyValue('id-1', 'en', words, new Map([['id-1', 'Technion']]))).toBe('Technion');
  });
});
