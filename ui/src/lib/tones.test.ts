import { describe, expect, it } from 'vitest';
import { badgeClass, STATUS_ORDER, toneOf } from './tones';

describe('toneOf', () => {
  it('colours statuses by meaning and unknown values neutrally', () => {
    expect(toneOf('status', 'active')).toBe('good');
    expect(toneOf('status', 'declined')).toBe('bad');
    expect(toneOf('screening', 'pending')).toBe('warn');
    expect(toneOf('screening', 'flagged')).toBe('bad');
    expect(toneOf('status', 'something_new')).toBe('neutral');
    expect(toneOf('nothing', 'active')).toBe('neutral');
  });
});

describe('badgeClass', () => {
  it('draws accepted and confirmed apart: one tinted, one solid, in the same family', () => {
    expect(badgeClass('status', 'accepted')).toBe('tone-info');
    expect(badgeClass('status', 'confirmed')).toBe('tone-info solid');
    expect(badgeClass('screening', 'cleared')).toBe('tone-good');
    expect(badgeClass('status', 'something_new')).toBe('tone-neutral');
  });

  it('gives each step from applied to active a look of its own', () => {
    const way = STATUS_ORDER.slice(STATUS_ORDER.indexOf('applied'), STATUS_ORDER.indexOf('active') + 1);
    expect(new Set(way.map((s) => badgeClass('status', s))).size).toBe(way.length);
  });
});
