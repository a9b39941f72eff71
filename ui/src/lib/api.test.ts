import { beforeEach, describe, expect, it, vi } from 'vitest';

const { invoke } = vi.hoisted(() => ({ invoke: vi.fn() }));
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

import { RecordCache, recordName } from './api';

describe('recordName', () => {
  it('prefers the Hebrew name in a Hebrew UI and falls back to the other one', () => {
    const technion = { name: 'Technion', name_he: 'הטכניון' };
    expect(recordName(technion, true)).toBe('הטכניון');
    expect(recordName(technion, false)).toBe('Technion');
    expect(recordName({ name: 'MIT', name_he: null }, true)).toBe('MIT');
    expect(recordName(null, true)).toBe('');
  });
});

/** Core's `record_names`: the names of the ids it knows. */
function namesOf(known: Record<string, string>) {
  return async (command: string, args: { entity: string; ids: string[] }) => {
    expect(command).toBe('record_names');
    return Object.fromEntries(args.ids.filter((id) => id in known).map((id) => [id, { id, name: known[id] }]));
  };
}

describe('RecordCache', () => {
  beforeEach(() => {
    invoke.mockReset();
  });

  it('asks core once for all the records a page refers to, each id once', async () => {
    invoke.mockImplementation(namesOf({ mit: 'MIT', technion: 'Technion' }));
    const cache = new RecordCache('institution');
    const found = await cache.getAll(['mit', 'technion', 'mit', null, undefined, 'gone']);
    expect(invoke).toHaveBeenCalledTimes(1);
    expect(invoke).toHaveBeenCalledWith('record_names', { entity: 'institution', ids: ['mit', 'technion', 'gone'] });
    expect([...found.keys()]).toEqual(['mit', 'technion']);
    expect(found.get('technion')?.name).toBe('Technion');

    // The next page: only the ids not seen yet.
    await cache.getAll(['technion', 'weizmann']);
    expect(invoke).toHaveBeenCalledTimes(2);
    expect(invoke).toHaveBeenLastCalledWith('record_names', { entity: 'institution', ids: ['weizmann'] });
    await cache.getAll(['mit', 'gone']);
    expect(invoke).toHaveBeenCalledTimes(2);
  });

  it('gathers the lookups of one moment (rows asking one by one) into one call', async () => {
    invoke.mockImplementation(namesOf({ a: 'A', b: 'B', c: 'C' }));
    const cache = new RecordCache('program');
    const [a, b, c] = await Promise.all([cache.get('a'), cache.get('b'), cache.get('c')]);
    expect(invoke).toHaveBeenCalledTimes(1);
    expect([a?.name, b?.name, c?.name]).toEqual(['A', 'B', 'C']);
  });

  it('answers null when the call fails, and asks again next time', async () => {
    invoke.mockRejectedValueOnce({ code: 'internal', message: 'closed' });
    const cache = new RecordCache('person');
    expect(await cache.get('p1')).toBeNull();
    invoke.mockImplementation(namesOf({ p1: 'Dana' }));
    expect((await cache.get('p1'))?.name).toBe('Dana');
    expect(invoke).toHaveBeenCalledTimes(2);
  });
});
