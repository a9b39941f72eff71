import { describe, expect, it } from 'vitest';
import { FLOWS_SHOWN, flowsOf, layoutFlows, spacedLabels, unitFor } from './flows';

describe('mobility flows', () => {
  it('reads directions into flows, domestic apart, zeros dropped', () => {
    expect(flowsOf({ 'US->IL': 5, 'IL->US': 3, domestic: 2, 'JP->US': 0 })).toEqual({
      flows: [
        { from: 'US', to: 'IL', count: 5 },
        { from: 'IL', to: 'US', count: 3 },
      ],
      domestic: 2,
      others: { directions: 0, count: 0 },
    });
  });

  it('keeps the biggest flows and counts the others (hundreds of country pairs)', () => {
    const many: Record<string, number> = { 'US->IL': 100, 'IL->US': 90 };
    for (let i = 0; i < 300; i++) many[`X${i}->IL`] = 1;
    const { flows, others } = flowsOf(many, FLOWS_SHOWN);
    expect(flows).toHaveLength(FLOWS_SHOWN);
    expect(flows[0]).toEqual({ from: 'US', to: 'IL', count: 100 });
    expect(others).toEqual({ directions: 302 - FLOWS_SHOWN, count: 302 - FLOWS_SHOWN });
    // Thousands of placements still stack to a chart of about 240 units.
    expect(unitFor([{ from: 'US', to: 'IL', count: 120_000 }])).toBeCloseTo(0.002);
    expect(unitFor([{ from: 'US', to: 'IL', count: 3 }])).toBe(6);
  });

  it('stacks countries without overlap and centres each band in its share of a node', () => {
    const { flows, domestic } = flowsOf({ 'US->IL': 4, 'JP->IL': 2, 'IL->US': 1 });
    const l = layoutFlows(flows, domestic, 10, 10, 0);
    expect(l.homes.map((n) => [n.code, n.y, n.h])).toEqual([
      ['US', 0, 40],
      ['JP', 50, 20],
      ['IL', 80, 10],
    ]);
    expect(l.hosts.map((n) => [n.code, n.y, n.h])).toEqual([
      ['IL', 0, 60],
      ['US', 70, 10],
    ]);
    const us = l.bands.find((b) => b.from === 'US');
    const jp = l.bands.find((b) => b.from === 'JP');
    expect([us?.y1, us?.y2, us?.w]).toEqual([20, 20, 40]);
    expect([jp?.y1, jp?.y2]).toEqual([60, 50]);
    expect(l.height).toBe(90);
  });
});

describe('spacedLabels', () => {
  it('writes the biggest counts, and none over another', () => {
    const shown = spacedLabels(
      [
        { key: 'a', count: 85, y: 100 },
        { key: 'b', count: 3, y: 106 },
        { key: 'c', count: 127, y: 40 },
        { key: 'd', count: 121, y: 48 },
        { key: 'e', count: 1, y: 200 },
      ],
      13,
    );
    expect([...shown].sort()).toEqual(['a', 'c', 'e']);
  });
});
