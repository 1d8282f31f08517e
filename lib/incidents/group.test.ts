import { describe, expect, it } from 'vitest';
import { groupIncidents } from './group.ts';
import type { shapeIncident } from './monitor.ts';

type View = ReturnType<typeof shapeIncident>;
let next = 1;
function incident(
  kind: 'pool' | 'vmta',
  sender: string,
  start: string,
  end: string | null,
  over: Partial<{ provider: string; metric: View['metric'] }> = {},
): View {
  return {
    id: next++,
    slice: { kind, provider: over.provider ?? 'Yahoo', sender },
    metric: over.metric ?? 'deferral',
    status: end ? 'resolved' : 'open',
    baselineRate: 0.01,
    currentRate: 0.2,
    peakRate: 0.2,
    threshold: 0.1,
    events: 2,
    volume: 10,
    startedAt: `2026-01-10T${start}:00.000Z`,
    detectedAt: `2026-01-10T${start}:00.000Z`,
    evaluatedAt: `2026-01-10T${end ?? '12:00'}:00.000Z`,
    resolvedAt: end ? `2026-01-10T${end}:00.000Z` : null,
    evidence: null,
  } as View;
}
const NOW = Date.parse('2026-01-10T12:00:00Z');
const pools = new Map([
  ['b1', new Set(['pool-b'])],
  ['b2', new Set(['pool-b', 'pool-x'])],
  ['a1', new Set(['pool-a'])],
]);
const shape = (groups: ReturnType<typeof groupIncidents>) =>
  groups.map((g) => [g.lead.slice.sender, g.members.map((m) => m.slice.sender)]);

describe('groupIncidents', () => {
  it("puts a pool's VirtualMTAs of the same provider, metric and time under its incident", () => {
    const list = [
      incident('pool', 'pool-b', '10:00', null),
      incident('vmta', 'b1', '10:02', null),
      incident('vmta', 'b2', '09:50', '10:30'),
      incident('vmta', 'a1', '10:02', null),
    ];
    expect(shape(groupIncidents(list, pools, NOW))).toEqual([
      ['pool-b', ['b1', 'b2']],
      ['a1', []],
    ]);
  });

  it('keeps apart what differs in provider, metric or time, or whose pool is unknown', () => {
    const list = [
      incident('pool', 'pool-b', '10:00', '10:20'),
      incident('vmta', 'b1', '10:20', '10:40'), // starts as the pool's ends
      incident('vmta', 'b1', '10:05', '10:15', { provider: 'Google' }),
      incident('vmta', 'b2', '10:05', '10:15', { metric: 'bounce' }),
      incident('vmta', 'zz', '10:05', '10:15'),
    ];
    expect(shape(groupIncidents(list, pools, NOW))).toEqual([
      ['pool-b', []],
      ['b1', []],
      ['b1', []],
      ['b2', []],
      ['zz', []],
    ]);
  });

  it('leaves an open VirtualMTA incident out of a resolved pool incident, and loses nothing', () => {
    const list = [
      incident('vmta', 'b1', '10:05', null),
      incident('pool', 'pool-b', '10:00', '10:20'),
      incident('vmta', 'b2', '10:05', '10:15'),
    ];
    const groups = groupIncidents(list, pools, NOW);
    expect(shape(groups)).toEqual([
      ['b1', []],
      ['pool-b', ['b2']],
    ]);
    expect(groups.flatMap((g) => [g.lead, ...g.members]).length).toBe(list.length);
  });
});
