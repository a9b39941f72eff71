import { describe, expect, it } from 'vitest';
import { byCountWithKnown } from './breakdowns';
import { KIND_ORDER } from './tones';

describe('byCountWithKnown', () => {
  it('sorts by count like the other breakdowns, ties in the known order, zeros kept last', () => {
    // The demo's programs by kind: 2, 2, 1, 2 in the order of domain.md.
    const map = { joint_training: 2, academic_exchange: 2, fellowship: 1, collaborative_project: 2 };
    const keys = byCountWithKnown(map, KIND_ORDER, (k) => k).map((e) => `${e.key}:${e.count}`);
    expect(keys).toEqual(['joint_training:2', 'academic_exchange:2', 'collaborative_project:2', 'fellowship:1']);

    const sparse = byCountWithKnown({ fellowship: 3, something_new: 1 }, KIND_ORDER, (k) => k.toUpperCase());
    expect(sparse.map((e) => [e.key, e.count])).toEqual([
      ['fellowship', 3],
      ['something_new', 1],
      ['joint_training', 0],
      ['academic_exchange', 0],
      ['collaborative_project', 0],
    ]);
    expect(sparse[0]?.label).toBe('FELLOWSHIP');
  });
});
