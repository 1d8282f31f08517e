import Link from 'next/link';
import { Sparkline } from '@/components/charts/sparkline.tsx';
import { CountLink } from '@/components/count-link.tsx';
import { Panel } from '@/components/panel.tsx';
import { ParamErrorMessage } from '@/components/param-error.tsx';
import { TopOf } from '@/components/top-of.tsx';
import { formatCount, formatCountOf, formatPercent, wallTimeFormat } from '@/lib/acct/format.ts';
import { RECORD_COLORS } from '@/lib/acct/record-colors.ts';
import { keyLabel, ParamError } from '@/lib/filters.ts';
import { parseKeptScreen } from '@/lib/kept-screen.ts';
import { atBucketPace } from '@/lib/queries/buckets.ts';
import { sparklineBucket } from '@/lib/queries/get-breakdown-series.ts';
import { getQueueDeferrals } from '@/lib/queries/get-queue-deferrals.ts';
import { getReasonSeries } from '@/lib/queries/get-reason-series.ts';
import { getReasons, REASON_TYPES, type ReasonType } from '@/lib/queries/get-reasons.ts';
import { MinutesNotKeptError } from '@/lib/queries/minute-reads.ts';
import { recordsHref, type Screen } from '@/lib/screen-params.ts';
import { toSearchParams, withSearchParams } from '@/lib/search-params.ts';
import { tqUnselectableBy } from '@/lib/tq-filters.ts';
import { insightPanel } from '../_sections/insight-guard.tsx';
import { NoRecords } from '../_sections/no-records.tsx';
import { ScreenHeader } from '../_sections/screen-header.tsx';
import { Streamed } from '../_sections/streamed.tsx';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Reasons · acctscope' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const TYPE_LABELS: Record<ReasonType, string> = {
  t: 'Deferred',
  tq: 'Queue deferred',
  b: 'Bounced',
  rb: 'Remote bounced',
};
const COUNT_KEY = { t: 'deferred', tq: 'queueDeferred', b: 'bounced', rb: 'remoteBounced' } as const;
const cell = 'py-1 text-right align-top';

/**
 * A reason as a link's name says it: its text (cut at 80 characters), not its key, 16 hex digits
 * no one reads (QA: "Deferred records with reason <16 hex digits>").
 */
function reasonName(r: { key: string; template: string }): string {
  if (!r.key) return 'with no diagnostic';
  return `with reason “${r.template.length > 80 ? `${r.template.slice(0, 79)}…` : r.template}”`;
}

async function ReasonTable({ screen, types }: { screen: Screen; types: ReasonType[] }) {
  return insightPanel('Reasons', async () => {
    const { filters, tz } = screen;
    const { total, totalRows, rows, seenToTheHour: hourly } = await getReasons(filters, { types, limit: 50 });
    if (rows.length === 0) {
      return (
        <Panel title="Reasons">
          {types.length === 1 && types[0] === 'tq' ? (
            <NoQueueDeferrals screen={screen} />
          ) : (
            <NoRecords what="deferrals or bounces" />
          )}
        </Panel>
      );
    }
    const bucket = sparklineBucket(filters.from, filters.to, screen.minuteKeptFrom);
    const series = await getReasonSeries(
      filters,
      rows.map((r) => r.key),
      bucket,
      tz,
      types,
    ).catch((error: unknown) => {
      // A zone off whole hours reads its hours from minutes, no longer kept this far back
      // (MINUTE_ROLLUP_RETENTION_DAYS): the reasons without their trends.
      if (error instanceof MinutesNotKeptError) return new Map<string, never[]>();
      throw error;
    });
    const trend = (key: string) => {
      const points = series.get(key) ?? [];
      return atBucketPace(
        points,
        points.map((p) => p.n),
        bucket,
        tz,
        filters.from,
        filters.to,
      );
    };
    const time = wallTimeFormat(tz, false);
    const shown = types.length ? types : REASON_TYPES;
    // A trend in the colour of the type its records are (mostly) of, as everywhere else: every
    // trend was drawn in the deferrals' amber, a bounce reason's too (QA).
    const mainType = (counts: Record<(typeof COUNT_KEY)[ReasonType], number>) =>
      shown.reduce((a, t) => (counts[COUNT_KEY[t]] > counts[COUNT_KEY[a]] ? t : a), shown[0]);
    return (
      <Panel
        title="Reasons"
        actions={<span className="text-xs text-gray-500">{formatCountOf(total, 'record')}</span>}
      >
        <table className="w-full text-sm tabular-nums">
          <thead className="text-left text-xs text-gray-500">
            <tr>
              <th scope="col" className="py-1 font-medium">
                Reason
              </th>
              {shown.map((t) => (
                <th key={t} scope="col" className={`${cell} font-medium`}>
                  {TYPE_LABELS[t]}
                </th>
              ))}
              <th scope="col" className={`${cell} font-medium`}>
                Share
              </th>
              <th scope="col" className="py-1 pl-3 font-medium">
                Trend
              </th>
              <th scope="col" className={`${cell} font-medium`}>
                First / last seen ({tz}
                {hourly ? ', to the hour' : ''})
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} className="border-t border-gray-100 dark:border-gray-800">
                <th scope="row" className="max-w-xl py-1 text-left align-top font-normal">
                  {r.annotation ? (
                    <span className="mr-1 rounded bg-blue-100 px-1 text-xs text-blue-900 dark:bg-blue-900 dark:text-blue-100">
                      {r.annotation.title}
                    </span>
                  ) : null}
                  <span className="break-words">{r.key ? r.template : '(no diagnostic)'}</span>
                  <details className="mt-1 text-xs text-gray-600 dark:text-gray-400">
                    <summary className="cursor-pointer">
                      {/* Each provider's count opens its records of the reason (QA: the one count of
                          the screen without a link); the row's type when one is chosen, else every
                          reason type, as the row counts them. */}
                      {r.topProviders.map((p, k) => (
                        <span key={p.provider}>
                          {k > 0 ? ' · ' : ''}
                          {keyLabel(p.provider)}{' '}
                          <CountLink
                            n={p.n}
                            href={recordsHref(filters, {
                              ...(types.length ? { type: types[0] } : {}),
                              template: r.key,
                              provider: p.provider,
                            })}
                            label={`Records of ${keyLabel(p.provider)} with this reason`}
                          />
                        </span>
                      ))}
                    </summary>
                    {r.annotation ? (
                      <p className="mt-1">
                        {r.annotation.meaning} <em>Usual fix:</em> {r.annotation.fix}
                      </p>
                    ) : null}
                    {r.sample ? (
                      <>
                        <p className="mt-1">
                          {r.sampleOf === 'slice'
                            ? 'Its latest line here, as logged:'
                            : 'The first line seen of it, by any sender:'}
                        </p>
                        <code className="block break-all">{r.sample}</code>
                      </>
                    ) : null}
                  </details>
                </th>
                {shown.map((t) => {
                  const n = r.counts[COUNT_KEY[t]];
                  return (
                    <td key={t} className={cell}>
                      {n > 0 ? (
                        <CountLink
                          n={n}
                          href={recordsHref(filters, { type: t, template: r.key })}
                          label={`${TYPE_LABELS[t]} records ${reasonName(r)}`}
                        />
                      ) : (
                        '–'
                      )}
                    </td>
                  );
                })}
                <td className={cell}>{formatPercent(r.share)}</td>
                <td className="py-1 pl-3 align-top">
                  <Sparkline
                    series={[
                      {
                        label: 'records',
                        values: trend(r.key),
                        color: RECORD_COLORS[COUNT_KEY[mainType(r.counts)]],
                        total: r.total,
                      },
                    ]}
                  />
                </td>
                <td className={`${cell} whitespace-nowrap text-xs text-gray-500`}>
                  {time.format(new Date(r.firstSeen))}
                  <br />
                  {time.format(new Date(r.lastSeen))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {/* The records total above is every reason's: the rows' sum is less when some are not listed. */}
        <TopOf shown={rows.length} total={totalRows} what="reasons">
          : {formatCount(rows.reduce((a, r) => a + r.total, 0))} of the {formatCountOf(total, 'record')}
        </TopOf>
      </Panel>
    );
  });
}

/**
 * Why no queue deferral is listed: under a pool (the insight filter tq rows never carry) none can
 * be, which "No queue deferrals in this range" misstated as none having happened, beside the
 * summary's "not selectable by pool" for the same filters (QA, during a pool's deferral incident).
 */
function NoQueueDeferrals({ screen }: { screen: Screen }) {
  const lacks = tqUnselectableBy(screen.filters);
  if (lacks.length === 0) return <NoRecords what="queue deferrals" />;
  return (
    <p className="text-sm text-gray-500" data-testid="tq-unselectable">
      Queue deferrals (tq) are not selectable by {lacks.join(' or ')}: they name a queue, and PowerMTA logs
      them without one.
    </p>
  );
}

async function QueueDeferralTable({ screen }: { screen: Screen }) {
  return insightPanel('Queue deferrals by queue', async () => {
    const { filters } = screen;
    const { rows, totalQueues } = await getQueueDeferrals(filters, 20);
    // No count where the filters cannot select a queue: "0 queues" beside "not selectable by pool"
    // read as none having been deferred (QA).
    const selectable = rows.length > 0 || tqUnselectableBy(filters).length === 0;
    return (
      <Panel
        title="Queue deferrals by queue"
        actions={
          selectable ? (
            <span className="text-xs text-gray-500" data-testid="queue-count">
              {formatCountOf(totalQueues, 'queue')}
            </span>
          ) : undefined
        }
      >
        {rows.length === 0 ? (
          <NoQueueDeferrals screen={screen} />
        ) : (
          <table className="w-full text-sm tabular-nums">
            <thead className="text-left text-xs text-gray-500">
              <tr>
                <th scope="col" className="py-1 font-medium">
                  Queue
                </th>
                <th scope="col" className={`${cell} font-medium`}>
                  Queue deferred
                </th>
                <th scope="col" className="py-1 pl-3 font-medium">
                  Top reason
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.queue} className="border-t border-gray-100 dark:border-gray-800">
                  <th scope="row" className="py-1 text-left align-top font-normal">
                    {r.queue || '(none)'}
                  </th>
                  <td className={cell}>
                    {r.queue ? (
                      <CountLink
                        n={r.total}
                        href={recordsHref(filters, { type: 'tq', queue: r.queue })}
                        label={`Queue deferrals of ${r.queue}`}
                      />
                    ) : (
                      formatCount(r.total)
                    )}
                  </td>
                  <td className="py-1 pl-3 align-top text-xs">
                    {r.topReason.key ? r.topReason.template : '(no diagnostic)'} (
                    {r.queue ? (
                      // The top reason's count opens its records too (it was the one count of the
                      // screen without a link, QA): the queue's tq records of that reason.
                      <CountLink
                        n={r.topReason.n}
                        href={recordsHref(filters, { type: 'tq', queue: r.queue, template: r.topReason.key })}
                        label={`Records of the top reason of queue ${r.queue}`}
                      />
                    ) : (
                      formatCount(r.topReason.n)
                    )}
                    )
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <TopOf shown={rows.length} total={totalQueues} what="queues" />
      </Panel>
    );
  });
}

function parseTypes(params: URLSearchParams): ReasonType[] {
  const t = params.get('type');
  if (!t) return [];
  if (!(REASON_TYPES as readonly string[]).includes(t)) {
    throw new ParamError(`type must be one of ${REASON_TYPES.join(', ')}`, 'type');
  }
  return [t as ReasonType];
}

/** Why mail is deferred or bounced: diagnostics grouped into reasons, annotated, with their records. */
export default async function ReasonsPage({ searchParams }: { searchParams: SearchParams }) {
  const params = toSearchParams(await searchParams);
  let screen: Screen;
  let types: ReasonType[];
  try {
    screen = await parseKeptScreen(params);
    types = parseTypes(params);
  } catch (error) {
    if (!(error instanceof ParamError)) throw error;
    return <ParamErrorMessage error={error} />;
  }
  const key = params.toString();
  return (
    <>
      <ScreenHeader title="Deferral and bounce reasons" screen={screen} stateKey={key} bucketed={false}>
        <nav
          aria-label="Record type"
          className="flex rounded border border-gray-300 text-sm dark:border-gray-700"
        >
          {[null, ...REASON_TYPES].map((t) => (
            <Link
              prefetch={false}
              key={t ?? 'all'}
              href={withSearchParams(params, { type: t })}
              aria-current={(types[0] ?? null) === t ? 'page' : undefined}
              className={`px-2 py-0.5 ${(types[0] ?? null) === t ? 'bg-gray-900 text-white dark:bg-gray-100 dark:text-gray-900' : 'hover:bg-gray-100 dark:hover:bg-gray-800'}`}
            >
              {t ? TYPE_LABELS[t] : 'All'}
            </Link>
          ))}
        </nav>
      </ScreenHeader>
      <p className="mb-4 text-sm text-gray-500">
        Diagnostics of deferrals, queue deferrals, bounces and remote bounces with IPs, numbers, ids,
        addresses and host names masked, so thousands of lines become a handful of reasons. Known provider
        codes are explained; every count opens exactly its records. Queue deferrals (tq) count per queue.
      </p>
      <Streamed title="Reasons" stateKey={key} height="h-96">
        <ReasonTable screen={screen} types={types} />
      </Streamed>
      {types.length === 0 || types[0] === 'tq' ? (
        <div className="mt-4">
          <Streamed title="Queue deferrals by queue" stateKey={`q${key}`} height="h-32">
            <QueueDeferralTable screen={screen} />
          </Streamed>
        </div>
      ) : null}
    </>
  );
}
