import { beforeEach, describe, expect, it } from 'vitest';
import { go, guardLeaving, leaveAnyway, nav, stay } from './nav.svelte';

describe('leaving a form with unsaved changes', () => {
  beforeEach(() => {
    nav.route = { section: 'dashboard' };
    nav.pending = null;
  });

  it('goes at once when nothing would be lost', () => {
    const release = guardLeaving(() => false);
    go({ section: 'people' });
    expect(nav.route).toEqual({ section: 'people' });
    release();
  });

  it('asks first when a form is dirty, then stays or leaves as chosen', () => {
    const release = guardLeaving(() => true);
    go({ section: 'cohorts' });
    expect(nav.route).toEqual({ section: 'dashboard' });
    expect(nav.pending).toEqual({ section: 'cohorts' });
    stay();
    expect(nav.pending).toBeNull();
    expect(nav.route).toEqual({ section: 'dashboard' });
    go({ section: 'cohorts' });
    leaveAnyway();
    expect(nav.route).toEqual({ section: 'cohorts' });
    release();
  });

  it('forgets a guard once its form is gone', () => {
    const release = guardLeaving(() => true);
    release();
    go({ section: 'programs' });
    expect(nav.route).toEqual({ section: 'programs' });
  });
});
