import { describe, expect, it } from 'vitest';
import { toneOf } from './tones';

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
