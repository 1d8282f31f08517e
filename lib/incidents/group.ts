import type { shapeIncident } from './monitor.ts';

type IncidentView = ReturnType<typeof shapeIncident>;

/** A pool's incident and its VirtualMTAs' incidents of the same wave (none for a lone incident). */
export interface IncidentGroup {
  lead: IncidentView;
  members: IncidentView[];
}

const end = (i: IncidentView, now: number) => (i.resolvedAt ? Date.parse(i.resolvedAt) : now);

/**
 * One cause opens an incident on a pool and on each of its VirtualMTAs that crosses the threshold
 * too: a Yahoo wave on an eight-VirtualMTA pool was nine cards. A VirtualMTA's incident joins the
 * first pool incident (in list order) of the same provider and metric whose pool it sends for
 * (`poolsOf`: VirtualMTA → its pools, from the records) and whose time overlaps its own; the
 * others stay cards of their own, and so does one still open when the pool's has resolved (the
 * problem of now is not tucked into a closed card). Order: the list's, members in theirs; nothing is dropped.
 */
export function groupIncidents(
  incidents: IncidentView[],
  poolsOf: ReadonlyMap<string, ReadonlySet<string>>,
  now = Date.now(),
): IncidentGroup[] {
  const groups = incidents.map((lead) => ({ lead, members: [] as IncidentView[] }));
  const leads = groups.filter((g) => g.lead.slice.kind === 'pool');
  const joined = new Set<IncidentView>();
  for (const i of incidents) {
    if (i.slice.kind !== 'vmta') continue;
    const pools = poolsOf.get(i.slice.sender);
    if (!pools) continue;
    const group = leads.find(
      ({ lead: p }) =>
        p.slice.provider === i.slice.provider &&
        p.metric === i.metric &&
        (p.status === 'open' || i.status === 'resolved') &&
        pools.has(p.slice.sender) &&
        Date.parse(p.startedAt) < end(i, now) &&
        Date.parse(i.startedAt) < end(p, now),
    );
    if (!group) continue;
    group.members.push(i);
    joined.add(i);
  }
  return groups.filter((g) => !joined.has(g.lead));
}
