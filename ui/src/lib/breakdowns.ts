// The entries of the dashboard's breakdowns: every one biggest first, so the lists read
// alike (a kind with no program yet still shows, with its 0, after the others).

export interface Entry {
  key: string;
  label: string;
  count: number;
  /** Render the label left-to-right even in Hebrew (e.g. `US → IL`). */
  ltr?: boolean;
}

/**
 * `map` by count, biggest first, with every key of `known` present (0 when absent); ties
 * keep the order of `known`, then go by key.
 */
export function byCountWithKnown(map: Record<string, number>, known: readonly string[], labelOf: (key: string) => string): Entry[] {
  const keys = [...new Set([...known, ...Object.keys(map)])];
  const rank = (key: string) => {
    const i = known.indexOf(key);
    return i < 0 ? known.length : i;
  };
  return keys
    .map((key) => ({ key, label: labelOf(key), count: map[key] ?? 0 }))
    .sort((a, b) => b.count - a.count || rank(a.key) - rank(b.key) || a.key.localeCompare(b.key));
}
