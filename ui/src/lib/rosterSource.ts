// A cohort's roster as a placement table's source: every page, filter, sort and "select
// all" bulk change is done by core (`roster_page`, `roster_update`), so the table holds
// a few pages of a 10,000-placement cohort, never all of it.

import type { RosterPage } from '../bindings/RosterPage';
import { api } from './api';
import type { Lang } from './i18n';
import { fromRoster, type RowSource, type ViewQuery } from './pipeline';

function coreQuery(q: ViewQuery, lang: Lang) {
  return {
    text: q.text,
    status: q.status || null,
    screening: q.screening || null,
    sort: q.sort === 'cohort' ? 'name' : q.sort,
    descending: q.descending,
    grouped: q.grouped,
    hebrew: lang === 'he',
  } as const;
}

/** The roster of cohort `cohortId` (named `cohortName`) through core; `onsummary` gets
 * the cohort's summary with every page. */
export function cohortSource(
  cohortId: string,
  cohortName: string,
  lang: () => Lang,
  onsummary?: (page: RosterPage) => void,
): RowSource {
  return {
    async page(q, offset, limit) {
      const page = await api.rosterPage(cohortId, { ...coreQuery(q, lang()), offset, limit });
      onsummary?.(page);
      return {
        rows: page.rows.map((r) => fromRoster(r, cohortId, cohortName)),
        total: page.total,
        sourceTotal: page.cohort_total,
        byStatus: page.by_status,
      };
    },
    updateMatching(q, except, patch) {
      return api.rosterUpdate(cohortId, coreQuery(q, lang()), except, patch);
    },
  };
}
