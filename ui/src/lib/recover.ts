// "Recently deleted" (Settings): where a recovered record opens, and how a dropped
// field is named.

import type { Entity } from '../bindings/Entity';
import type { Route } from './nav.svelte';

/** The screen that shows a record of `entity` (a placement opens in its cohort). */
export function recordRoute(entity: Entity, record: Record<string, unknown>): Route | null {
  const id = typeof record.id === 'string' ? record.id : '';
  if (!id) return null;
  switch (entity) {
    case 'person':
      return { section: 'people', personId: id };
    case 'cohort':
      return { section: 'cohorts', cohortId: id };
    case 'placement': {
      const cohort = typeof record.cohort_id === 'string' ? record.cohort_id : '';
      return cohort ? { section: 'cohorts', cohortId: cohort, placementId: id } : null;
    }
    case 'program':
      return { section: 'programs', id };
    case 'institution':
      return { section: 'institutions', id };
    case 'agreement':
      return { section: 'agreements', id };
    case 'fellowship':
      return { section: 'fellowships', id };
  }
}

/** The field of a dropped reference: `partner_institution_ids[1]` → `partner_institution_ids`. */
export function droppedField(path: string): string {
  return path.replace(/\[\d+\]$/, '');
}
