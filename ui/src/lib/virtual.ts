// The arithmetic of a virtualised list: which rows a scrolled viewport shows, which pages
// of rows those need, where a key moves the active row and how far to scroll to show it.
// Rows have one fixed height, so a row's place is its index times that height.

/** Rows `first..last` (inclusive; `last < first` when there are none). */
export interface Range {
  first: number;
  last: number;
}

/** The rows a viewport shows at `scrollTop`, with `overscan` rows more on either side. */
export function visibleRange(scrollTop: number, viewport: number, rowHeight: number, total: number, overscan = 8): Range {
  if (total <= 0 || rowHeight <= 0) return { first: 0, last: -1 };
  const top = Math.max(0, Math.floor(scrollTop / rowHeight));
  const bottom = Math.ceil((scrollTop + Math.max(viewport, rowHeight)) / rowHeight) - 1;
  return {
    first: Math.max(0, Math.min(top, total - 1) - overscan),
    last: Math.min(total - 1, bottom + overscan),
  };
}

/** The page numbers (of `pageSize` rows each) holding the rows of `range`. */
export function pagesOf(range: Range, pageSize: number): number[] {
  if (range.last < range.first) return [];
  const out: number[] = [];
  for (let p = Math.floor(range.first / pageSize); p <= Math.floor(range.last / pageSize); p++) out.push(p);
  return out;
}

/** The row a key makes active (`null`: the key does not move), from `active` among `total`. */
export function moveBy(key: string, active: number, total: number, perView: number): number | null {
  if (total <= 0) return null;
  const step = Math.max(1, perView - 1);
  const to = (() => {
    switch (key) {
      case 'ArrowDown':
        return active + 1;
      case 'ArrowUp':
        return active - 1;
      case 'PageDown':
        return active + step;
      case 'PageUp':
        return active - step;
      case 'Home':
        return 0;
      case 'End':
        return total - 1;
      default:
        return null;
    }
  })();
  return to === null ? null : Math.max(0, Math.min(total - 1, to));
}

/** The scroll position that shows row `index` whole, moving as little as possible. */
export function scrollToShow(index: number, scrollTop: number, viewport: number, rowHeight: number): number {
  const top = index * rowHeight;
  if (top < scrollTop) return top;
  if (top + rowHeight > scrollTop + viewport) return Math.max(0, top + rowHeight - viewport);
  return scrollTop;
}

/** The index of the row with `id` among the loaded pages (of `pageSize` rows), or null. */
export function loadedIndexOf(pages: ReadonlyMap<number, readonly { id?: unknown }[]>, pageSize: number, id: string): number | null {
  for (const [page, rows] of pages) {
    const at = rows.findIndex((r) => String(r.id) === id);
    if (at >= 0) return page * pageSize + at;
  }
  return null;
}
