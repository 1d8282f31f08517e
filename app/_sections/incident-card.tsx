import Link from 'next/link';
import { formatCount, formatPercent } from '@/lib/acct/format.ts';
import { filterParamValue, keyLabel, MAX_RANGE_DAYS } from '@/lib/filters.ts';
import type { ComplaintEvidence } from '@/lib/incidents/evidence.ts';
import {
  type FigureLink,
  type IncidentFigureLinks,
  incidentFigureLinks,
  recordsNoun,
  sliceRecordsHref,
  sliceSender,
} from '@/lib/incidents/figure-links.ts';
import type { shapeIncident } from '@/lib/incidents/monitor.ts';
import { RATIO_TYPES } from '@/lib/incidents/rules.ts';

export type IncidentView = ReturnType<typeof shapeIncident>;

const METRIC_LABELS = {
  bounce: 'bounce rate',
  deferral: 'deferral rate',
  complaint: 'complaint rate',
} as const;

/**
 * The window an incident covers: from its start to its end; while open, to now (the link opened the
 * records up to its last evaluation, a minute or two short of the latest), within the explorer's
 * longest range.
 */
function incidentWindow(i: IncidentView, now = Date.now()) {
  if (i.resolvedAt) return { from: i.startedAt, to: i.resolvedAt };
  const nextMinute = Math.ceil((now + 1) / 60_000) * 60_000;
  const to = Math.min(
    Math.max(nextMinute, Date.parse(i.evaluatedAt)),
    Date.parse(i.startedAt) + MAX_RANGE_DAYS * 86_400_000,
  );
  return { from: i.startedAt, to: new Date(to).toISOString() };
}

/**
 * `href` without its end while the incident is open: the screen it opens runs up to now and
 * refreshes itself (with the end of the moment the card was drawn, the records and the provider's
 * page of an incident still going on stood still at that minute, QA). Not past the explorer's
 * longest range, which a `from` alone would exceed.
 */
function upToNowWhileOpen(i: IncidentView, href: string, now = Date.now()): string {
  if (i.resolvedAt || now - Date.parse(i.startedAt) >= MAX_RANGE_DAYS * 86_400_000 - 60_000) return href;
  const [path, query] = href.split('?');
  const q = new URLSearchParams(query);
  q.delete('to');
  return `${path}?${q.toString()}`;
}

/** The records behind an incident: its failure type in its slice over its window. */
export function incidentRecordsHref(i: IncidentView, tz: string): string {
  return upToNowWhileOpen(i, sliceRecordsHref(i.slice, incidentWindow(i), tz, RATIO_TYPES[i.metric].events));
}

function sliceHref(i: IncidentView, tz: string): string {
  const { from, to } = incidentWindow(i);
  const q = new URLSearchParams({ from, to, tz });
  q.set(i.slice.kind, filterParamValue(i.slice.sender));
  return upToNowWhileOpen(i, `/providers/${encodeURIComponent(i.slice.provider)}?${q.toString()}`);
}

export function incidentTitle(i: IncidentView): string {
  return `${i.slice.provider} × ${sliceSender(i.slice)}: ${METRIC_LABELS[i.metric]}`;
}

function duration(fromIso: string, toIso: string): string {
  const minutes = Math.max(0, Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 60_000));
  if (minutes < 90) return `${minutes} min`;
  if (minutes < 48 * 60) return `${(minutes / 60).toFixed(1)} h`;
  return `${(minutes / 1440).toFixed(1)} d`;
}

/** A count of the card, linked to the records behind it when they can be listed exactly. */
function Figure({ n, link }: { n: number; link: FigureLink | null }) {
  if (!link) return <>{formatCount(n)}</>;
  return (
    <Link
      prefetch={false}
      href={link.href}
      aria-label={link.label}
      title={link.label}
      className="text-blue-700 hover:underline dark:text-blue-300"
    >
      {formatCount(n)}
    </Link>
  );
}

/** Where a complaint incident's complaints come from, each linked to its complaint records. */
function ComplaintSources({
  incident: i,
  evidence,
  clock,
  tz,
  of,
}: {
  incident: IncidentView;
  evidence: ComplaintEvidence;
  clock: Intl.DateTimeFormat;
  tz: string;
  of: FigureLink | null;
}) {
  // The window the evidence was taken from: the incident's start to its detection.
  const from = i.startedAt;
  const to = i.detectedAt;
  const link = (name: 'sourceIp' | 'job', key: string, n: number) => {
    return (
      <Link
        prefetch={false}
        href={sliceRecordsHref(i.slice, { from, to }, tz, ['f'], { [name]: key })}
        className="text-blue-700 hover:underline dark:text-blue-300"
      >
        {keyLabel(key)} ({formatCount(n)})
      </Link>
    );
  };
  const list = (name: 'sourceIp' | 'job', rows: { key: string; n: number }[]) =>
    rows.length === 0
      ? '–'
      : rows.map((r, k) => (
          <span key={r.key}>
            {k > 0 ? ', ' : ''}
            {link(name, r.key, r.n)}
          </span>
        ));
  return (
    <div className="mt-2 text-sm" data-testid="complaint-sources">
      <p>
        Where the <Figure n={evidence.of} link={of} />{' '}
        {recordsNoun(evidence.of, RATIO_TYPES.complaint.events)} from {clock.format(new Date(from))} to{' '}
        {clock.format(new Date(to))} come from: sending IP {list('sourceIp', evidence.sourceIps)}; job{' '}
        {list('job', evidence.jobs)}.
      </p>
    </div>
  );
}

/**
 * One incident: slice, metric, baseline vs now, since when, the evidence and the records. A pool's
 * card holds its VirtualMTAs' incidents of the same wave (`members`, lib/incidents/group.ts),
 * named in one line and each shown in full on request.
 */
export function IncidentCard({
  incident: i,
  tz,
  members = [],
}: {
  incident: IncidentView;
  tz: string;
  members?: IncidentView[];
}) {
  const time = new Intl.DateTimeFormat('en-GB', { timeZone: tz, dateStyle: 'medium', timeStyle: 'short' });
  // Each figure of the card covers its own window; say which (the times are in the zone above).
  const clock = new Intl.DateTimeFormat('en-GB', { timeZone: tz, timeStyle: 'short' });
  const open = i.status === 'open';
  const figures: IncidentFigureLinks = incidentFigureLinks(i, tz);
  return (
    <article
      aria-label={incidentTitle(i)}
      className={`rounded-lg border p-4 shadow-sm ${open ? 'border-red-300 bg-red-50 dark:border-red-900 dark:bg-red-950/40' : 'border-gray-200 bg-white dark:border-gray-800 dark:bg-gray-900'}`}
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="font-medium">
          <span
            className={`mr-2 rounded px-1.5 py-0.5 text-xs ${open ? 'bg-red-600 text-white' : 'bg-gray-200 text-gray-700 dark:bg-gray-800 dark:text-gray-300'}`}
          >
            {open ? 'Open' : 'Resolved'}
          </span>
          {incidentTitle(i)}
        </h2>
        <p className="text-sm text-gray-600 dark:text-gray-300">
          <span title="The start of the first window the monitor judged over the threshold: the problem may have begun earlier if the monitor was not running then">
            from {time.format(new Date(i.startedAt))} ({tz})
          </span>
          {i.resolvedAt
            ? `, resolved ${time.format(new Date(i.resolvedAt))} after ${duration(i.startedAt, i.resolvedAt)}`
            : `, ${duration(i.startedAt, i.evaluatedAt)} so far`}
        </p>
      </div>
      <p className="mt-2 text-sm" data-testid="incident-rates">
        {/* A rate over the monitor's whole window (INCIDENT_WINDOW_MINUTES), not an instant: it can
            move when old records leave the window, so the card names the window's end. */}
        <strong>{formatPercent(i.currentRate)}</strong> over the {open ? 'latest' : 'last'}{' '}
        {i.windowMinutes ? `${i.windowMinutes}-min ` : ''}window judged (
        <Figure n={i.events} link={figures.events} /> of <Figure n={i.volume} link={figures.volume} />, to{' '}
        {clock.format(new Date(i.evaluatedAt))}; peak {formatPercent(i.peakRate)}) vs{' '}
        <strong>{formatPercent(i.baselineRate)}</strong> baseline; threshold {formatPercent(i.threshold)}
      </p>
      {i.evidence && 'kind' in i.evidence ? (
        <ComplaintSources incident={i} evidence={i.evidence} clock={clock} tz={tz} of={figures.evidenceOf} />
      ) : i.evidence ? (
        <div className="mt-2 text-sm">
          <p>
            Top reason when detected (<Figure n={i.evidence.count} link={figures.evidenceCount} /> of{' '}
            <Figure n={i.evidence.of} link={figures.evidenceOf} />{' '}
            {recordsNoun(i.evidence.of, RATIO_TYPES[i.metric].events)} from{' '}
            {clock.format(new Date(i.startedAt))} to {clock.format(new Date(i.detectedAt))}):{' '}
            <code className="break-all text-xs">{i.evidence.template}</code>
          </p>
          {i.evidence.annotation ? (
            <p className="mt-1 text-gray-700 dark:text-gray-300">
              <strong>{i.evidence.annotation.title}.</strong> {i.evidence.annotation.meaning}{' '}
              <em>Usual fix:</em> {i.evidence.annotation.fix}
            </p>
          ) : null}
          <details className="mt-1 text-xs text-gray-500">
            <summary className="cursor-pointer">A full line</summary>
            <code className="break-all">{i.evidence.sample}</code>
          </details>
        </div>
      ) : null}
      <p className="mt-2 flex gap-4 text-sm">
        <Link
          prefetch={false}
          href={incidentRecordsHref(i, tz)}
          className="text-blue-700 hover:underline dark:text-blue-300"
        >
          The records since {time.format(new Date(i.startedAt))} →
        </Link>
        <Link
          prefetch={false}
          href={sliceHref(i, tz)}
          className="text-blue-700 hover:underline dark:text-blue-300"
        >
          {i.slice.provider} in that window →
        </Link>
      </p>
      {members.length > 0 ? (
        <details className="mt-3 text-sm" data-testid="incident-members">
          <summary className="cursor-pointer">
            {members.length === 1 ? 'One of its VirtualMTAs' : `${members.length} of its VirtualMTAs`} over
            the threshold in the same wave:{' '}
            {members
              .map((m) => `${m.slice.sender} (${m.status}, ${formatPercent(m.currentRate)})`)
              .join(', ')}
          </summary>
          <div className="mt-2 space-y-2">
            {members.map((m) => (
              <IncidentCard key={m.id} incident={m} tz={tz} />
            ))}
          </div>
        </details>
      ) : null}
    </article>
  );
}
