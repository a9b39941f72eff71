import { describe, expect, it } from 'vitest';
import { columnOrder, moveItem, readPreset } from './columns';

describe('moveItem', () => {
  it('moves up and down and stays inside the list', () => {
    expect(moveItem(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveItem(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveItem(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moveItem(['a', 'b', 'c'], 2, 5)).toEqual(['a', 'b', 'c']);
  });
});

describe('columnOrder', () => {
  it('puts the chosen columns first in their order, then the rest in core order', () => {
    expect(columnOrder(['a', 'b', 'c', 'd'], ['c', 'a'])).toEqual(['c', 'a', 'b', 'd']);
  });
  it('drops unknown and repeated keys', () => {
    expect(columnOrder(['a', 'b'], ['x', 'b', 'b'])).toEqual(['b', 'a']);
  });
});

describe('readPreset', () => {
  it('reads columns and redaction', () => {
    expect(readPreset({ columns: ['a'], redact: true })).toEqual({ columns: ['a'], redact: true });
    expect(readPreset({ columns: ['a'] })).toEqual({ columns: ['a'], redact: false });
  });
  it('refuses what is not a preset', () => {
    expect(readPreset(null)).toBeNull();
    expect(readPreset({ columns: 'a' })).toBeNull();
    expect(readPreset({ columns: [1] })).toBeNull();
  });
});
