// Mobility flows for the dashboard chart: `HOME->HOST` counts as bands between a column
// of home countries and a column of host countries; `domestic` apart (it has no two
// countries to draw between).

export interface Flow {
  from: string;
  to: string;
  count: number;
}

export interface FlowLayout {
  homes: { code: string; total: number; y: number; h: number }[];
  hosts: { code: string; total: number; y: number; h: number }[];
  bands: (Flow & { y1: number; y2: number; w: number })[];
  domestic: number;
  height: number;
}

/** How many flows the chart draws; the others are summed in a line of text. */
export const FLOWS_SHOWN = 8;

/**
 * Flows of the direction breakdown (zero counts dropped), biggest first: at most `limit`
 * of them (a national program has hundreds of country pairs), the rest counted in
 * `others`.
 */
export function flowsOf(
  byDirection: Record<string, number>,
  limit = Number.POSITIVE_INFINITY,
): { flows: Flow[]; domestic: number; others: { directions: number; count: number } } {
  const flows: Flow[] = [];
  let domestic = 0;
  for (const [key, count] of Object.entries(byDirection)) {
    if (key === 'domestic') domestic += count;
    else if (count > 0 && key.includes('->')) {
      const [from = '', to = ''] = key.split('->');
      flows.push({ from, to, count });
    }
  }
  flows.sort((a, b) => b.count - a.count || a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
  const rest = flows.splice(Math.max(0, limit));
  return { flows, domestic, others: { directions: rest.length, count: rest.reduce((n, f) => n + f.count, 0) } };
}

/** The height per placement that keeps the stacked nodes near `height` units in all. */
export function unitFor(flows: Flow[], height = 240, most = 6): number {
  const total = flows.reduce((n, f) => n + f.count, 0);
  return Math.min(most, height / Math.max(1, total));
}

/**
 * Stacks the countries of each side (height ∝ count, a gap between them) and places
 * each band at its share of both ends, so bands never overlap at a node.
 */
export function layoutFlows(flows: Flow[], domestic: number, unit = 6, gap = 14, minH = 22): FlowLayout {
  const stack = (key: 'from' | 'to') => {
    const totals = new Map<string, number>();
    for (const f of flows) totals.set(f[key], (totals.get(f[key]) ?? 0) + f.count);
    let y = 0;
    return [...totals]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([code, total]) => {
        const h = Math.max(minH, total * unit);
        const node = { code, total, y, h };
        y += h + gap;
        return node;
      });
  };
  const homes = stack('from');
  const hosts = stack('to');
  const usedHome = new Map<string, number>();
  const usedHost = new Map<string, number>();
  const bands = flows.map((f) => {
    const home = homes.find((n) => n.code === f.from);
    const host = hosts.find((n) => n.code === f.to);
    const wHome = home ? (f.count / home.total) * home.h : 0;
    const wHost = host ? (f.count / host.total) * host.h : 0;
    const y1 = (home?.y ?? 0) + (usedHome.get(f.from) ?? 0) + wHome / 2;
    const y2 = (host?.y ?? 0) + (usedHost.get(f.to) ?? 0) + wHost / 2;
    usedHome.set(f.from, (usedHome.get(f.from) ?? 0) + wHome);
    usedHost.set(f.to, (usedHost.get(f.to) ?? 0) + wHost);
    return { ...f, y1, y2, w: Math.min(wHome, wHost) };
  });
  const end = (nodes: { y: number; h: number }[]) => nodes.reduce((m, n) => Math.max(m, n.y + n.h), 0);
  return { homes, hosts, bands, domestic, height: Math.max(end(homes), end(hosts), minH) };
}

/**
 * Which labels to write, each at height `y`: the biggest counts first, and none less than
 * `gap` from one already written (a label over another is read as neither).
 */
export function spacedLabels(labels: { key: string; count: number; y: number }[], gap: number): Set<string> {
  const placed: number[] = [];
  const shown = new Set<string>();
  for (const l of [...labels].sort((a, b) => b.count - a.count)) {
    if (placed.some((y) => Math.abs(y - l.y) < gap)) continue;
    placed.push(l.y);
    shown.add(l.key);
  }
  return shown;
}
