// Which screen is showing. The app has one window and no URL bar, so a small state
// object is the router. A form with unsaved changes registers a guard: leaving it
// first asks (App shows the question while `nav.pending` is set).

export type Section =
  | 'dashboard'
  | 'programs'
  | 'cohorts'
  | 'people'
  | 'institutions'
  | 'agreements'
  | 'fellowships'
  | 'sync'
  | 'settings';

export const SECTIONS: readonly Section[] = [
  'dashboard',
  'programs',
  'cohorts',
  'people',
  'institutions',
  'agreements',
  'fellowships',
  'sync',
  'settings',
];

export type PersonTab = 'overview' | 'placements' | 'fellowships' | 'checklist' | 'history';

export type Route =
  | { section: Section }
  | { section: 'cohorts'; cohortId: string; placementId?: string }
  | { section: 'cohorts'; pipeline: true }
  | { section: 'people'; query: string }
  | { section: 'people'; personId: string; tab?: PersonTab }
  | { section: 'programs' | 'institutions' | 'agreements' | 'fellowships'; id: string };

export const nav = $state<{ route: Route; pending: Route | null }>({
  route: { section: 'dashboard' },
  pending: null,
});

/** Returns true while leaving would lose something typed. */
export type LeaveGuard = () => boolean;

const guards = new Set<LeaveGuard>();

/** Registers a guard; the returned function removes it (call it on unmount). */
export function guardLeaving(guard: LeaveGuard): () => void {
  guards.add(guard);
  return () => guards.delete(guard);
}

export function wouldLoseWork(): boolean {
  for (const guard of guards) if (guard()) return true;
  return false;
}

/** Shows `route`, unless a form would lose work: then asks first. */
export function go(route: Route): void {
  if (wouldLoseWork()) {
    nav.pending = route;
    return;
  }
  nav.route = route;
}

/** The user chose to leave the unsaved form. */
export function leaveAnyway(): void {
  const next = nav.pending;
  guards.clear();
  nav.pending = null;
  if (next) nav.route = next;
}

/** The user chose to stay with the unsaved form. */
export function stay(): void {
  nav.pending = null;
}

/** The id a detail route opens, if any. */
export function routeId(route: Route): string | null {
  if ('id' in route) return route.id;
  if ('cohortId' in route) return route.cohortId;
  if ('personId' in route) return route.personId;
  return null;
}

const firstScreen: (() => void)[] = [];

/** Marks the app as ready for automation (`<body data-ready="true">`) once. */
export function markReady(): void {
  if (document.body.dataset.ready === 'true') return;
  document.body.dataset.ready = 'true';
  // The work waits until the frame showing the first screen has been painted: a
  // callback before the next frame, then a task after it.
  requestAnimationFrame(() =>
    setTimeout(() => {
      painted = true;
      for (const run of firstScreen.splice(0)) run();
    }),
  );
}

let painted = false;

/**
 * Runs `work` once the first screen has been drawn and painted (`markReady`), so that
 * background work such as the quick_check of a multi-gigabyte database, or the
 * dashboard's deadlines, does not compete with it.
 */
export function afterFirstScreen(work: () => void): void {
  if (painted) work();
  else firstScreen.push(work);
}
