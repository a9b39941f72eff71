import { describe, expect, it } from 'vitest';
import {
  filterRows,
  groupByStatus,
  institutionName,
  memorySource,
  nextStatus,
  sortRows,
  tableLayout,
  type PlacementRow,
  type ViewQuery,
} from './pipeline';

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

describe('tableLayout', () => {
  it('maps lines to rows one to one when not grouped', () => {
    const layout = tableLayout(3, false, {});
    expect(layout.count).toBe(3);
    expect(layout.lineAt(2)).toEqual({ kind: 'row', index: 2 });
  });
  it('puts a heading with its count before each status group that has rows', () => {
    const layout = tableLayout(3, true, { nominated: 1, applied: 2 });
    expect(layout.count).toBe(3 + 2 + 1);
    expect(layout.lineAt(0)).toEqual({ kind: 'group', status: 'nominated', count: 1 });
    expect(layout.lineAt(1)).toEqual({ kind: 'row', index: 0 });
    expect(layout.lineAt(2)).toEqual({ kind: 'group', status: 'applied', count: 2 });
    expect(layout.lineAt(4)).toEqual({ kind: 'row', index: 2 });
    expect(layout.lineAt(5)).toEqual({
      kind: 'empty',
      statuses: ['accepted', 'confirmed', 'active', 'completed', 'withdrawn', 'declined'],
    });
  });
  it('names a run of empty statuses on one line, in lifecycle order', () => {
    const layout = tableLayout(7, true, { completed: 6, declined: 1 });
    expect(layout.count).toBe(1 + 7 + 1 + 1 + 1);
    expect(layout.lineAt(0)).toEqual({ kind: 'empty', statuses: ['nominated', 'applied', 'accepted', 'confirmed', 'active'] });
    expect(layout.lineAt(1)).toEqual({ kind: 'group', status: 'completed', count: 6 });
    expect(layout.lineAt(7)).toEqual({ kind: 'row', index: 5 });
    expect(layout.lineAt(8)).toEqual({ kind: 'empty', statuses: ['withdrawn'] });
    expect(layout.lineAt(9)).toEqual({ kind: 'group', status: 'declined', count: 1 });
    expect(layout.lineAt(10)).toEqual({ kind: 'row', index: 6 });
  });
});

describe('memorySource', () => {
  const query: ViewQuery = { text: '', status: '', screening: '', sort: 'name', descending: false, grouped: false };
  it('pages the filtered, sorted rows and counts them by status', async () => {
    const source = memorySource(rows, 'en', async () => ({ done: 0, refused: [] }));
    const page = await source.page({ ...query, screening: 'pending' }, 0, 1);
    expect(page.rows.map((r) => r.id)).toEqual(['3']);
    expect(page.total).toBe(2);
    expect(page.sourceTotal).toBe(3);
    expect(page.byStatus).toMatchObject({ nominated: 1, withdrawn: 1, active: 0 });
    const grouped = await source.page({ ...query, grouped: true }, 0, 10);
    expect(grouped.rows.map((r) => r.status)).toEqual(['nominated', 'active', 'withdrawn']);
  });
  it('updates every matching row but the excepted ones', async () => {
    let asked: string[] = [];
    const source = memorySource(rows, 'en', async (ids) => {
      asked = ids;
      return { done: ids.length, refused: [] };
    });
    const result = await source.updateMatching({ ...query, screening: 'pending' }, ['2'], { status: 'applied' });
    expect(asked).toEqual(['3']);
    expect(result.done).toBe(1);
  });
});
