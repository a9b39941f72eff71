import { describe, expect, it } from 'vitest';
import { hitSubtitle, hitTitle } from './searchHits';

describe('search hits in the UI language', () => {
  it('puts the Hebrew name first in Hebrew', () => {
    const hit = { entity: 'person' as const, id: 'x', title: 'Dana Cohen · דנה כהן', subtitle: 'dana@example.org' };
    expect(hitTitle(hit, 'he')).toBe('דנה כהן · Dana Cohen');
    expect(hitTitle(hit, 'en')).toBe('Dana Cohen · דנה כהן');
  });

  it("labels a program's kind and dates a cohort locally", () => {
    expect(hitSubtitle({ entity: 'program', id: 'p', title: 'P', subtitle: 'joint training' }, 'en')).toBe('Joint training');
    const cohort = { entity: 'cohort' as const, id: 'c', title: 'Fall', subtitle: 'Quantum · 2026-12-27 – 2027-08-24' };
    expect(hitSubtitle(cohort, 'en')).toBe('Quantum · Dec 27, 2026 – Aug 24, 2027');
    expect(hitSubtitle(cohort, 'he')).not.toContain('2026-12-27');
  });
});
