import { describe, expect, it } from 'vitest';
import type { ConflictEntry } from '../bindings/ConflictEntry';
import { canMerge, canRestore, conflictRoute, conflictRule, conflictValue, duplicatePair, duplicatePeople, pageStart } from './conflicts';

function entry(over: Partial<ConflictEntry>): ConflictEntry {
  return {
    id: 'c1',
    kind: 'field',
    entity: 'person',
    record_id: 'p1',
    field: 'email',
    title: 'Dana Cohen',
    lost_value: 'dana@old.example',
    lost_device: 'Technion laptop',
    kept_value: 'dana@new.example',
    kept_device: 'Office',
    detected_at: '2027-01-02T10:00:00Z',
    resolved: false,
    resolution: null,
    ...over,
  };
}

const words = { none: '—', yes: 'Yes', no: 'No', rows: (n: string) => `${n} rows`, record: 'Whole record' };

describe('conflicts', () => {
  it('words the rule a merged record breaks in the UI language, and offers no restore for it', () => {
    const rule = entry({
      kind: 'rule',
      entity: 'placement',
      field: 'screening',
      lost_value: null,
      kept_value: 'flagged',
      rule: {
        field: 'screening',
        code: 'placement.screening_not_cleared',
        params: { program: 'Chips', status: 'active', screening_text: 'flagged', screening: 'flagged' },
        message:
          '"Chips" is a sensitive program: a placement that is active needs cleared screening, but its screening is flagged; reopen it to an earlier status, withdraw it, or clear its screening',
      },
    });
    expect(conflictRule(rule, 'en')).toBe(rule.rule?.message);
    const he = conflictRule(rule, 'he') ?? '';
    expect(he).toContain('תוכנית רגישה');
    expect(he).not.toContain('sensitive');
    expect(canRestore(rule)).toBe(false);
    expect(canMerge(rule)).toBe(false);
    expect(conflictRule(entry({}), 'en')).toBeNull();
  });

  it('restores lost values and removed records, nothing else', () => {
    expect(canRestore(entry({}))).toBe(true);
    expect(canRestore(entry({ kind: 'removed', lost_value: { id: 'x' } }))).toBe(true);
    expect(canRestore(entry({ kind: 'edit_deleted', lost_value: 'x' }))).toBe(false);
    expect(canRestore(entry({ kind: 'reference_cleared' }))).toBe(false);
    expect(canRestore(entry({ resolved: true }))).toBe(false);
  });

  it('merges duplicate people, the entry’s record surviving', () => {
    const dup = entry({ kind: 'duplicate_person', field: 'p2', lost_value: 'p2', kept_value: 'p1' });
    expect(canMerge(dup)).toBe(true);
    expect(duplicatePair(dup)).toEqual({ survivor: 'p1', duplicate: 'p2' });
    expect(duplicatePair(entry({}))).toBeNull();
  });

  it('writes values readably', () => {
    expect(conflictValue('2027-09-01', 'en', words)).toBe('Sep 1, 2027');
    expect(conflictValue(null, 'en', words)).toBe('—');
    expect(conflictValue({ id: 'x' }, 'en', words)).toBe('Whole record');
  });

  it('opens the record when it still exists', () => {
    expect(conflictRoute(entry({}))).toEqual({ section: 'people', personId: 'p1' });
    expect(conflictRoute(entry({ entity: 'institution', record_id: 'i1' }))).toEqual({ section: 'institutions', id: 'i1' });
    expect(conflictRoute(entry({ kind: 'removed' }))).toBeNull();
    expect(conflictRoute(entry({ entity: 'placement' }))).toBeNull();
  });

  it('stays on the page shown until it runs past the end of the list', () => {
    expect(pageStart(50, 120, 50)).toBe(50);
    expect(pageStart(0, 0, 50)).toBe(0);
    // The last page's entries were resolved: the page before is shown.
    expect(pageStart(100, 100, 50)).toBe(50);
    // Hiding the resolved entries shortened the list a lot.
    expect(pageStart(250, 61, 50)).toBe(50);
    expect(pageStart(50, 3, 50)).toBe(0);
  });

  it('names both people of each duplicate entry of a page', () => {
    const dup = entry({ kind: 'duplicate_person', record_id: 'p1', field: 'p2' });
    expect(duplicatePeople([entry({}), dup])).toEqual(['p1', 'p2']);
  });
});
