import { beforeEach, describe, expect, it, vi } from 'vitest';
import { afterFirstScreen, go, guardLeaving, leaveAnyway, markReady, nav, stay } from './nav.svelte';

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

describe('afterFirstScreen', () => {
  it('holds work until the first screen is ready and painted, then runs it at once', () => {
    const g = globalThis as { document?: unknown; requestAnimationFrame?: unknown };
    g.document = { body: { dataset: {} as Record<string, string> } };
    vi.useFakeTimers();
    g.requestAnimationFrame = (frame: () => void) => setTimeout(frame, 16);
    try {
      const ran: string[] = [];
      afterFirstScreen(() => ran.push('check'));
      expect(ran).toEqual([]);
      markReady();
      expect(ran, 'not before the frame is painted').toEqual([]);
      vi.advanceTimersByTime(16);
      expect(ran, 'nor in the frame').toEqual([]);
      vi.runAllTimers();
      expect(ran).toEqual(['check']);
      markReady();
      vi.runAllTimers();
      expect(ran).toEqual(['check']);
      afterFirstScreen(() => ran.push('later'));
      expect(ran).toEqual(['check', 'later']);
    } finally {
      vi.useRealTimers();
      delete g.document;
      delete g.requestAnimationFrame;
    }
  });
});
