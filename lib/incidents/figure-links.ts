import { templateKey } from '../acct/diag-template.ts';
import { formatCount } from '../acct/format.ts';
import { type FilterParam, windowOnly } from '../filters.ts';
import { recordsHref } from '../screen-params.ts';
import type { Evidence } from './evidence.ts';
import type { shapeIncident } from './monitor.ts';
import { type CountedType, RATIO_TYPES } from './rules.ts';

type IncidentView = ReturnType<typeof shapeIncident>;
type Slice = IncidentView['slice'];

const MINUTE = 60_000;

/** A figure's records: where they are listed, and what the link opens, in words (its accessible name). */
export interface FigureLink {
  href: string;
  label: string;
}

/**
 * The records explorer's list of `types` in an incident's slice over [from, to) (the instants the
 * monitor counted, as ISO strings), narrowed by `extra` (a sending IP, a job, a reason's
 * `template`): its total is the count of the same records by the rollups the monitor read.
 */
export function sliceRecordsHref(
  slice: Slice,
  window: { from: string; to: string },
  tz: string,
  types: readonly string[],
  extra: Partial<Record<FilterParam | 'template', string>> = {},
): string {
  const filters = windowOnly(new Date(window.from), new Date(window.to), {
    provider: [slice.provider],
    [slice.kind]: [slice.sender],
  });
  filters.tz = tz;
  return recordsHref(filters, { type: [...types], ...extra });
}

const NOUNS: Record<CountedType, [one: string, many: string]> = {
  d: ['delivery', 'deliveries'],
  b: ['bounce', 'bounces'],
  t: ['deferral', 'deferrals'],
  f: ['complaint', 'complaints'],
};

/** What `n` records of `types` are called: "deliveries and bounces", "delivery or bounce", "complaint". */
export function recordsNoun(n: number, types: readonly CountedType[]): string {
  const words = types.map((t) => NOUNS[t][n === 1 ? 0 : 1]);
  const last = words.pop();
  return words.length ? `${words.join(', ')} ${n === 1 ? 'or' : 'and'} ${last}` : (last ?? '');
}

/** "12 deliveries and bounces", "1 delivery or bounce", "3 complaints". */
export function countedRecords(n: number, types: readonly CountedType[]): string {
  return `${formatCount(n)} ${recordsNoun(n, types)}`;
}

/** The sender of an incident's slice, as its title names it: "vmta1", "pool pool-b". */
export function sliceSender(slice: Slice): string {
  return slice.kind === 'pool' ? `pool ${slice.sender}` : slice.sender;
}

/**
 * The key of the evidence's template, as `template=` takes it; null when unknown. Incidents from
 * before the key was stored have only the template's text, whose key is its hash (templateKey, as
 * the ingest computes it); '(no diagnostic)' is how the evidence names key ''.
 */
export function evidenceTemplateKey(e: Evidence): string | null {
  if (e.key !== undefined) return e.key;
  if (e.template === '(no diagnostic)') return '';
  return e.template ? templateKey(e.template) : null;
}

export interface IncidentFigureLinks {
  /** The rate's events and volume over the last window judged, [evaluatedAt − window, evaluatedAt). */
  events: FigureLink | null;
  volume: FigureLink | null;
  /** The evidence's failures (or complaints) over [startedAt, detectedAt), and those of its top reason. */
  evidenceOf: FigureLink | null;
  evidenceCount: FigureLink | null;
}

/**
 * Links from each count on an incident's card to the records behind it: the slice's records of the
 * types the monitor counted (RATIO_TYPES) over the window it counted them in, so the explorer's
 * total is the figure. From the incident as rendered: an open incident's figures and window move
 * together at each evaluation. null where the window is unknown (incidents from before the monitor
 * kept its length) or the evidence is of an older shape.
 */
export function incidentFigureLinks(i: IncidentView, tz: string): IncidentFigureLinks {
  const clock = new Intl.DateTimeFormat('en-GB', { timeZone: tz, timeStyle: 'short' });
  const sender = sliceSender(i.slice);
  const link = (
    n: number,
    types: readonly CountedType[],
    window: { from: string; to: string },
    what = '',
    extra: Partial<Record<'template', string>> = {},
  ): FigureLink => ({
    href: sliceRecordsHref(i.slice, window, tz, types, extra),
    label: `${countedRecords(n, types)} of ${sender} at ${i.slice.provider}${what}, ${clock.format(new Date(window.from))}–${clock.format(new Date(window.to))}`,
  });
  const types = RATIO_TYPES[i.metric];
  const judged =
    i.windowMinutes === null
      ? null
      : {
          from: new Date(Date.parse(i.evaluatedAt) - i.windowMinutes * MINUTE).toISOString(),
          to: i.evaluatedAt,
        };
  const links: IncidentFigureLinks = {
    events: judged && link(i.events, types.events, judged),
    volume: judged && link(i.volume, types.volume, judged),
    evidenceOf: null,
    evidenceCount: null,
  };
  // The evidence was taken from the incident's start to its detection (monitor.ts).
  const detected = { from: i.startedAt, to: i.detectedAt };
  const e = i.evidence;
  if (e && 'kind' in e) {
    links.evidenceOf = link(e.of, types.events, detected);
  } else if (e && i.metric !== 'complaint') {
    links.evidenceOf = link(e.of, types.events, detected);
    const key = evidenceTemplateKey(e);
    if (key !== null) {
      links.evidenceCount = link(e.count, types.events, detected, ' giving the top reason', {
        template: key,
      });
    }
  }
  return links;
}
