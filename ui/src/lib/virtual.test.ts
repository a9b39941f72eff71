import { describe, expect, it } from 'vitest';
import { loadedIndexOf, moveBy, pagesOf, scrollToShow, visibleRange } from './virtual';

describe('visibleRange', () => {
  it('shows the rows in view and the overscan, clamped to the list', () => {
    expect(visibleRange(0, 400, 40, 1000, 5)).toEqual({ first: 0, last: 14 });
    expect(visibleRange(4000, 400, 40, 1000, 5)).toEqual({ first: 95, last: 114 });
    expect(visibleRange(39_600, 400, 40, 1000, 5)).toEqual({ first: 985, last: 999 });
  });
  it('is empty for an empty list', () => {
    expect(visibleRange(0, 400, 40, 0)).toEqual({ first: 0, last: -1 });
  });
  it('survives a scroll position past the end (the list shrank)', () => {
    const r = visibleRange(1_000_000, 400, 40, 10, 2);
    expect(r.last).toBe(9);
    expect(r.first).toBeLessThanOrEqual(r.last);
  });
});

describe('pagesOf', () => {
  it('names every page the range touches', () => {
    expect(pagesOf({ first: 95, last: 114 }, 100)).toEqual([0, 1]);
    expect(pagesOf({ first: 199_990, last: 199_999 }, 100)).toEqual([1999]);
    expect(pagesOf({ first: 0, last: -1 }, 100)).toEqual([]);
  });
});

describe('moveBy', () => {
  it('moves by one, by a screen, to either end, and stays inside', () => {
    expect(moveBy('ArrowDown', 0, 10, 5)).toBe(1);
    expect(moveBy('ArrowUp', 0, 10, 5)).toBe(0);
    expect(moveBy('PageDown', 0, 10, 5)).toBe(4);
    expect(moveBy('PageDown', 8, 10, 5)).toBe(9);
    expect(moveBy('PageUp', 6, 10, 5)).toBe(2);
    expect(moveBy('Home', 7, 10, 5)).toBe(0);
    expect(moveBy('End', 0, 200_000, 5)).toBe(199_999);
  });
  it('ignores other keys and empty lists', () => {
    expect(moveBy('a', 3, 10, 5)).toBeNull();
    expect(moveBy('End', 0, 0, 5)).toBeNull();
  });
});

describe('scrollToShow', () => {
  it('scrolls only as far as needed', () => {
    expect(scrollToShow(5, 0, 400, 40)).toBe(0);
    expect(scrollToShow(10, 0, 400, 40)).toBe(40);
    expect(scrollToShow(2, 400, 400, 40)).toBe(80);
    expect(scrollToShow(999, 0, 400, 40)).toBe(39_600);
  });
});

describe('loadedIndexOf', () => {
  it('finds a row among the pages loaded, by id, as its index in the whole list', () => {
    const pages = new Map([
      [3, [{ id: 'a' }, { id: 'b' }]],
      [0, [{ id: 'c' }]],
    ]);
    expect(loadedIndexOf(pages, 100, 'b')).toBe(301);
    expect(loadedIndexOf(pages, 100, 'c')).toBe(0);
    expect(loadedIndexOf(pages, 100, 'z')).toBeNull();
    expect(loadedIndexOf(new Map(), 100, 'a')).toBeNull();
  });
});
