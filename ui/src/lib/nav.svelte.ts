// Which screen is showing. The app has one window and no URL bar, so a small state
// object is the router.

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

export type Route =
  | { section: Section }
  | { section: 'cohorts'; cohortId: string }
  | { section: 'people'; query: string };

export const nav = $state<{ route: Route }>({ route: { section: 'dashboard' } });

export function go(route: Route): void {
  nav.route = route;
}

/** Marks the app as ready for automation (`<body data-ready="true">`) once. */
export function markReady(): void {
  document.body.dataset.ready = 'true';
}
