// Sums of fellowship money, kept per currency (dollars and shekels never add up).

export interface TrancheLike {
  amount_minor: number;
  status: string;
}

export interface FellowshipLike {
  award_minor: number;
  currency: string;
  tranches: TrancheLike[];
}

export interface CurrencyTotals {
  currency: string;
  count: number;
  award: number;
  paid: number;
  scheduled: number;
  held: number;
  /** Part of the awards not yet in any tranche. */
  unallocated: number;
}

/** Tranche sums of one fellowship by status, and what of the award no tranche holds. */
export function trancheTotals(f: FellowshipLike): Omit<CurrencyTotals, 'currency' | 'count'> {
  const sum = (status: string) =>
    f.tranches.filter((t) => t.status === status).reduce((s, t) => s + t.amount_minor, 0);
  const allocated = f.tranches.reduce((s, t) => s + t.amount_minor, 0);
  return {
    award: f.award_minor,
    paid: sum('paid'),
    scheduled: sum('scheduled'),
    held: sum('held'),
    unallocated: Math.max(0, f.award_minor - allocated),
  };
}

/** Totals per currency, USD and ILS first, then others alphabetically. */
export function totalsByCurrency(fellowships: FellowshipLike[]): CurrencyTotals[] {
  const by = new Map<string, CurrencyTotals>();
  for (const f of fellowships) {
    const code = f.currency.toUpperCase();
    const acc =
      by.get(code) ??
      { currency: code, count: 0, award: 0, paid: 0, scheduled: 0, held: 0, unallocated: 0 };
    const t = trancheTotals(f);
    acc.count++;
    acc.award += t.award;
    acc.paid += t.paid;
    acc.scheduled += t.scheduled;
    acc.held += t.held;
    acc.unallocated += t.unallocated;
    by.set(code, acc);
  }
  const first = ['USD', 'ILS'];
  return [...by.values()].sort((a, b) => {
    const ra = first.indexOf(a.currency);
    const rb = first.indexOf(b.currency);
    if (ra !== rb) return (ra < 0 ? 9 : ra) - (rb < 0 ? 9 : rb);
    return a.currency.localeCompare(b.currency);
  });
}
