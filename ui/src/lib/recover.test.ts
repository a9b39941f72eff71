import { describe, expect, it } from 'vitest';
import { droppedField, recordRoute } from './recover';

describe('recordRoute', () => {
  it('opens a person on their page and a placement in its cohort', () => {
    expect(recordRoute('person', { id: 'p1' })).toEqual({ section: 'people', personId: 'p1' });
    expect(recordRoute('placement', { id: 'x', cohort_id: 'c1' })).toEqual({
      section: 'cohorts',
      cohortId: 'c1',
      placementId: 'x',
    });
    expect(recordRoute('institution', { id: 'i' })).toEqual({ section: 'institutions', id: 'i' });
  });
  it('has nowhere to go without an id or a cohort', () => {
    expect(recordRoute('person', {})).toBeNull();
    expect(recordRoute('placement', { id: 'x' })).toBeNull();
  });
});

describe('droppedField', () => {
  it('names the field of a dropped list entry', () => {
    expect(droppedField('partner_institution_ids[1]')).toBe('partner_institution_ids');
    expect(droppedField('home_institution_id')).toBe('home_institution_id');
  });
});
