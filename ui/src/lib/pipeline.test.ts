import { describe, expect, it } from 'vitest';
import { filterRows, groupByStatus, institutionName, nextStatus, sortRows, summarise, tableLines, type PlacementRow } from './pipeline';

function row(id: string, over: Partial<PlacementRow> = {}): PlacementRow {
  return {
    id,
    person_id: `p-${id}`,
    cohort_id: 'c',
    cohort_name: 'Cohort',
    given_name: null,
    family_name: null,
    given_name_he: null,
    family_name_he: null,
    email: null,
    home_institution: null,
    host_institution: null,
    direction: null,
    role: 'participant',
    status: 'nominated',
    screening: 'not_required',
    checklist_done: 0,
    checklist_total: 0,
    ...over,
  };
}

const rows = [
  row('1', { given_name: 'Dana', family_name: 'Cohen', status: 'active', screening: 'cleared', checklist_done: 2, checklist_total: 2 }),
  row('2', { given_name_he: 'אבי', family_name_he: 'לוי', status: 'withdrawn', screening: 'pending', checklist_total: 3, checklist_done: 1 }),
  row('3', { given_name: 'Ari', family_name: 'Bar', email: 'ari@example.org', status: 'nominated', screening: 'pending' }),
];

describe('groupByStatus', () => {
  it('lists every status in lifecycle order, empty ones included', () => {
    const groups = groupByStatus(rows);
    expect(groups.map((g) => g.status)).toEqual([
      'nominated',
      'applied',
      'accepted',
      'confirmed',
      'active',
      'completed',
      'withdrawn',
      'declined',
    ]);
    expect(groups.find((g) => g.status === 'active')?.rows.map((r) => r.id)).toEqual(['1']);
    expect(groups.find((g) => g.status === 'applied')?.rows).toEqual([]);
  });

  it('keeps a status this version does not know, at the end', () => {
    const groups = groupByStatus([row('9', { status: 'on_hold' })]);
    expect(groups.at(-1)).toEqual({ status: 'on_hold', rows: [expect.objectContaining({ id: '9' })] });
  });
});

describe('sortRows', () => {
  it('sorts by name in the UI’s script, and by status in lifecycle order', () => {
    expect(sortRows(rows, 'name', false, 'en').map((r) => r.id)).toEqual(['3', '1', '2']);
    expect(sortRows(rows, 'status', false, 'en').map((r) => r.id)).toEqual(['3', '1', '2']);
    expect(sortRows(rows, 'status', true, 'en').map((r) => r.id)).toEqual(['2', '1', '3']);
    expect(sortRows(rows, 'checklist', true, 'en').map((r) => r.id)).toEqual(['1', '2', '3']);
  });
});

describe('filterRows', () => {
  it('matches either script, e-mail, status and screening', () => {
    expect(filterRows(rows, { text: 'לוי', status: '', screening: '' }, 'en').map((r) => r.id)).toEqual(['2']);
    expect(filterRows(rows, { text: 'ARI@', status: '', screening: '' }, 'en').map((r) => r.id)).toEqual(['3']);
    expect(filterRows(rows, { text: '', status: '', screening: 'pending' }, 'en').map((r) => r.id)).toEqual(['2', '3']);
    expect(filterRows(rows, { text: '', status: 'active', screening: 'pending' }, 'en')).toEqual([]);
  });
});

describe('summarise', () => {
  it('counts places used (not withdrawn or declined), screening states and checklists', () => {
    expect(summarise(rows)).toEqual({
      used: 2,
      byScreening: { not_required: 0, pending: 2, cleared: 1, flagged: 0 },
      checklistDone: 3,
      checklistTotal: 5,
      complete: 1,
    });
  });
});

describe('nextStatus', () => {
  it('steps along the main line and stops at its end and at final states', () => {
    expect(nextStatus('nominated')).toBe('applied');
    expect(nextStatus('active')).toBe('completed');
    expect(nextStatus('completed')).toBeNull();
    expect(nextStatus('withdrawn')).toBeNull();
  });
});

describe('institutionName', () => {
  it('shows the Hebrew name in a Hebrew UI when there is one', () => {
    const r = row('9', { home_institution: 'Technion', home_institution_he: 'הטכניון', host_institution: 'MIT' });
    expect(institutionName(r, 'home', 'he')).toBe('הטכניון');
    expect(institutionName(r, 'home', 'en')).toBe('Technion');
    expect(institutionName(r, 'host', 'he')).toBe('MIT');
    expect(institutionName(row('0'), 'host', 'he')).toBe('');
  });
});

describe('tableLines', () => {
  const rows = [row('a', { status: 'applied' }), row('b'), row('c', { status: 'applied' })];
  it('lists the rows, with a reason line under each refused one', () => {
    const lines = tableLines([{ status: '', rows }], false, (id) => id === 'b');
    expect(lines.map((l) => l.key)).toEqual(['r:a', 'r:b', 'x:b', 'r:c']);
  });
  it('puts a heading with its count before each status group', () => {
    const lines = tableLines(groupByStatus(rows), true, () => false);
    const head = lines.filter((l) => l.kind === 'group');
    expect(head.map((l) => l.key)).toContain('g:applied');
    const at = lines.findIndex((l) => l.key === 'g:applied');
    expect(lines[at]).toMatchObject({ count: 2 });
    expect(lines.slice(at + 1, at + 3).map((l) => l.key)).toEqual(['r:a', 'r:c']);
  });
});
