import { describe, expect, it } from 'vitest';
import { formatMoney } from './format';
import { totalsByCurrency, trancheTotals } from './money';

const usd = {
  award_minor: 1_600_000,
  currency: 'USD',
  tranches: [
    { amount_minor: 800_000, status: 'paid' },
    { amount_minor: 400_000, status: 'held' },
  ],
};
const ils = { award_minor: 5_000_000, currency: 'ils', tranches: [{ amount_minor: 5_000_000, status: 'scheduled' }] };

describe('fellowship totals', () => {
  it('sums tranches by status and what no tranche holds yet', () => {
    expect(trancheTotals(usd)).toEqual({ award: 1_600_000, paid: 800_000, scheduled: 0, held: 400_000, unallocated: 400_000 });
  });

  it('keeps currencies apart, USD and ILS first', () => {
    const totals = totalsByCurrency([ils, { ...usd, currency: 'EUR' }, usd, usd]);
    expect(totals.map((t) => [t.currency, t.count, t.award])).toEqual([
      ['USD', 2, 3_200_000],
      ['ILS', 1, 5_000_000],
      ['EUR', 1, 1_600_000],
    ]);
  });

  it('formats totals for the locale', () => {
    expect(formatMoney(3_200_000, 'USD', 'en')).toBe('$32,000.00');
    const shekels = formatMoney(5_000_000, 'ILS', 'he');
    expect(shekels).toContain('50,000.00');
    expect(shekels).toContain('₪');
    expect(formatMoney(5_000_000, 'ILS', 'en')).toBe('₪50,000.00');
  });
});
