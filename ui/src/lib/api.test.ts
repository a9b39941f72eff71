import { describe, expect, it } from 'vitest';
import { recordName } from './api';

describe('recordName', () => {
  it('prefers the Hebrew name in a Hebrew UI and falls back to the other one', () => {
    const technion = { name: 'Technion', name_he: 'הטכניון' };
    expect(recordName(technion, true)).toBe('הטכניון');
    expect(recordName(technion, false)).toBe('Technion');
    expect(recordName({ name: 'MIT', name_he: null }, true)).toBe('MIT');
    expect(recordName(null, true)).toBe('');
  });
});
