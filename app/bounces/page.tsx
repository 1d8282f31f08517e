import { BouncesOverTime } from '@/components/bounces-over-time.tsx';
import { CountLink } from '@/components/count-link.tsx';
import { KeyCell } from '@/components/key-cell.tsx';
import { KpiCard } from '@/components/kpi-card.tsx';
import { Panel } from '@/components/panel.tsx';
import { ParamErrorMessage } from '@/components/param-error.tsx';
import { TopOf } from '@/components/top-of.tsx';
import { hardBounceCategories } from '@/lib/acct/bounce-class.ts';
import { dsnClass, dsnMeaning } from '@/lib/acct/dsn-codes.ts';
import { formatCount, formatPercent } from '@/lib/acct/format.ts';
import { keyLabel, NONE, ParamError } from '@/lib/filters.ts';
import type { Dimension } from '@/lib/queries/count-query.ts';
import { EXPIRED, getBounceBreakdown } from '@/lib/queries/get-bounces.ts';
import { getDsnCodes } from '@/lib/queries/get-dsn-codes.ts';
import { bucketRecordsQuery, carriedQuery, recordsHref, type Screen } from '@/lib/screen-params.ts';
import { DIMENSION_LABELS, detailHref } from '@/lib/screens.ts';
import { toSearchParams } from '@/lib/search-params.ts';
import { insightPanel } from '../_sections/insight-guard.tsx';
import { NoRecords } from '../_sections/no-records.tsx';
import { ScreenHeader } from '../_sections/screen-header.tsx';
import { getScreenBounces, getScreenSummary, parseCountScreen } from '../_sections/shared-reads.ts';
import { Streamed } from '../_sections/streamed.tsx';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Bounces · acctscope' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const cell = 'py-1 text-right';
const BY: Dimension[] = ['provider', 'domain', 'vmta', 'pool'];

/**
 * The bounceCategory values selecting a class's bounces (`b`) of the slice, for a records link:
 * hard: the configured hard categories (within the screen's own category filter); soft: every soft
 * category the slice's bounces have in the range (the explorer selects by listing, not by
 * excluding), '' (no category) included. Exact for the slice and any narrower one.
 */
function classCategories(
  filters: Screen['filters'],
  categories: { category: string; class: string; bounced: number }[],
  cls: 'hard' | 'soft',
): string[] {
  if (cls === 'hard') {
    const hard = hardBounceCategories();
    return filters.bounceCategory.length ? filters.bounceCategory.filter((c) => hard.includes(c)) : hard;
  }
  return categories.filter((c) => c.class === 'soft' && c.bounced > 0).map((c) => c.category);
}

async function BounceKpis({ screen }: { screen: Screen }) {
  const { filters } = screen;
  const [{ totals, categories }, { counts }] = await Promise.all([
    getScreenBounces(screen.filters, screen.bucket, screen.tz),
    getScreenSummary(screen.filters, screen.bucket, screen.tz),
  ]);
  const finals = counts.delivered + counts.bounced;
  const bounces = (cats: string[]) => recordsHref(filters, { type: 'b', bounceCategory: cats });
  return (
    <div className="grid grid-cols-2 gap-4 md:grid-cols-4">
      <KpiCard
        label="Hard bounces"
        value={totals.hard}
        href={bounces(classCategories(filters, categories, 'hard'))}
        rate={finals ? totals.hard / finals : null}
        rateLabel="of final outcomes"
      />
      <KpiCard
        label="Soft bounces"
        value={totals.soft}
        href={bounces(classCategories(filters, categories, 'soft'))}
        rate={finals ? totals.soft / finals : null}
        rateLabel="of final outcomes"
      />
      <KpiCard
        label="Message expired"
        value={totals.expired}
        href={bounces([EXPIRED])}
        rate={finals ? totals.expired / finals : null}
        rateLabel="of final outcomes (in soft)"
      />
      <KpiCard
        label="Remote bounces"
        value={totals.remote}
        href={recordsHref(filters, { type: 'rb' })}
        rate={counts.delivered ? totals.remote / counts.delivered : null}
        rateLabel="of delivered"
      />
    </div>
  );
}

async function BounceTrend({ screen }: { screen: Screen }) {
  const { points, bucket, tz } = await getScreenBounces(screen.filters, screen.bucket, screen.tz);
  return (
    <Panel
      title="Bounces over time"
      actions={
        <span className="text-xs text-gray-500">
          per {bucket}, {tz}
        </span>
      }
    >
      <BouncesOverTime
        points={points}
        tz={tz}
        bucket={bucket}
        from={screen.filters.from.toISOString()}
        to={screen.filters.to.toISOString()}
        filterQuery={bucketRecordsQuery(screen.filters, { type: ['b', 'rb'] })}
      />
    </Panel>
  );
}

async function BounceCategoryTable({ screen }: { screen: Screen }) {
  const { filters } = screen;
  const { categories } = await getScreenBounces(filters, screen.bucket, screen.tz);
  return (
    <Panel title="By bounce category">
      {categories.length === 0 ? (
        <NoRecords what="bounces" />
      ) : (
        <table className="w-full text-sm tabular-nums">
          <thead className="text-left text-xs text-gray-500">
            <tr>
              <th scope="col" className="py-1 font-medium">
                Category
              </th>
              <th scope="col" className="py-1 font-medium">
                Class
              </th>
              <th scope="col" className={`${cell} font-medium`}>
                Bounced (b)
              </th>
              <th scope="col" className={`${cell} font-medium`}>
                Remote (rb)
              </th>
            </tr>
          </thead>
          <tbody>
            {categories.map((c) => (
              <tr key={c.category} className="border-t border-gray-100 dark:border-gray-800">
                <th scope="row" className="py-1 text-left font-normal">
                  {c.category || '(none)'}
                </th>
                <td className="py-1">{c.category === EXPIRED ? 'soft (expired)' : c.class}</td>
                {(['b', 'rb'] as const).map((type) => {
                  const n = type === 'b' ? c.bounced : c.remoteBounced;
                  return (
                    <td key={type} className={cell}>
                      {c.category && n > 0 ? (
                        <CountLink
                          n={n}
                          href={recordsHref(filters, { type, bounceCategory: c.category })}
                          label={`${type} records in ${c.category}`}
                        />
                      ) : (
                        formatCount(n)
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}

async function BounceBreakdownTable({ screen, by, query }: { screen: Screen; by: Dimension; query: string }) {
  const { filters } = screen;
  const [{ rows, totalRows }, { categories }] = await Promise.all([
    getBounceBreakdown(filters, by, 15),
    getScreenBounces(filters, screen.bucket, screen.tz),
  ]);
  const hard = classCategories(filters, categories, 'hard');
  const soft = classCategories(filters, categories, 'soft');
  const link = (key: string, n: number, label: string, extra: Record<string, string | string[]>) =>
    n > 0 ? (
      <CountLink
        n={n}
        href={recordsHref(filters, { [by]: key, ...extra })}
        label={`${label} of ${keyLabel(key)}`}
      />
    ) : (
      formatCount(n)
    );
  return (
    <Panel title={`By ${DIMENSION_LABELS[by]}`}>
      {rows.length === 0 ? (
        <NoRecords what="bounces" />
      ) : (
        <table className="w-full text-sm tabular-nums">
          <thead className="text-left text-xs text-gray-500">
            <tr>
              <th scope="col" className="py-1 font-medium">
                Name
              </th>
              <th scope="col" className={`${cell} font-medium`}>
                Hard
              </th>
              <th scope="col" className={`${cell} font-medium`}>
                Soft
              </th>
              <th scope="col" className={`${cell} font-medium`}>
                Expired
              </th>
              <th scope="col" className={`${cell} font-medium`}>
                Remote
              </th>
              <th scope="col" className={`${cell} font-medium`}>
                Bounce rate
              </th>
              <th scope="col" className={`${cell} font-medium`}>
                Hard rate
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} className="border-t border-gray-100 dark:border-gray-800">
                <KeyCell name={r.key} href={detailHref(by, r.key, query)} />
                <td className={cell}>
                  {link(r.key, r.hard, 'Hard bounces', { type: 'b', bounceCategory: hard })}
                </td>
                <td className={cell}>
                  {link(r.key, r.soft, 'Soft bounces', { type: 'b', bounceCategory: soft })}
                </td>
                <td className={cell}>
                  {link(r.key, r.expired, 'Expired', { type: 'b', bounceCategory: EXPIRED })}
                </td>
                <td className={cell}>{link(r.key, r.remote, 'Remote bounces', { type: 'rb' })}</td>
                <td className={cell}>{formatPercent(r.bounceRate)}</td>
                <td className={cell}>{formatPercent(r.hardRate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <TopOf shown={rows.length} total={totalRows} />
    </Panel>
  );
}

async function DsnCodeTable({ screen }: { screen: Screen }) {
  return insightPanel('By DSN status code', async () => {
    const { rows, totalRows } = await getDsnCodes(screen.filters, 20);
    // The records behind a cell: that type with that code at the start of dsnStatus.
    const code = (dsnCode: string, n: number, type: string, label: string) =>
      n > 0 ? (
        <CountLink
          n={n}
          href={recordsHref(screen.filters, { type, dsnCode })}
          label={`${label} records with code ${dsnCode || NONE}`}
        />
      ) : (
        formatCount(n)
      );
    return (
      <Panel title="By DSN status code">
        {rows.length === 0 ? (
          <NoRecords what="bounces or deferrals" />
        ) : (
          <table className="w-full text-sm tabular-nums">
            <thead className="text-left text-xs text-gray-500">
              <tr>
                <th scope="col" className="py-1 font-medium">
                  Code
                </th>
                <th scope="col" className={`${cell} font-medium`}>
                  Bounced (b)
                </th>
                <th scope="col" className={`${cell} font-medium`}>
                  Remote (rb)
                </th>
                <th scope="col" className={`${cell} font-medium`}>
                  Deferred (t)
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.code} className="border-t border-gray-100 dark:border-gray-800">
                  <th scope="row" className="py-1 pr-2 text-left font-normal">
                    {r.code ? (
                      <>
                        <span className="font-mono">{r.code}</span>{' '}
                        <span className="text-xs text-gray-500 dark:text-gray-400">
                          {dsnClass(r.code) ?? 'not a status code'}
                        </span>
                        <span className="block text-xs text-gray-600 dark:text-gray-300">
                          {dsnMeaning(r.code)}
                        </span>
                      </>
                    ) : (
                      NONE
                    )}
                  </th>
                  <td className={cell}>{code(r.code, r.counts.bounced, 'b', 'Bounced')}</td>
                  <td className={cell}>{code(r.code, r.counts.remoteBounced, 'rb', 'Remote bounced')}</td>
                  <td className={cell}>{code(r.code, r.counts.deferred, 't', 'Deferred')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <TopOf shown={rows.length} total={totalRows} what="codes" />
        {rows.length > 0 ? (
          <p className="mt-2 text-xs text-gray-500 dark:text-gray-400">
            5.x.x codes are permanent; 4.x.x transient: a deferral, or a bounce once the message expired.
            Meanings from the IANA registry of enhanced status codes (RFC 3463).
          </p>
        ) : null}
      </Panel>
    );
  });
}

/** Bounces: hard vs soft (configurable), expired, remote, per category, over time and per slice. */
export default async function BouncesPage({ searchParams }: { searchParams: SearchParams }) {
  const params = toSearchParams(await searchParams);
  let screen: Screen;
  try {
    screen = await parseCountScreen(params);
  } catch (error) {
    if (!(error instanceof ParamError)) throw error;
    return <ParamErrorMessage error={error} />;
  }
  const key = params.toString();
  const query = carriedQuery(params);
  return (
    <>
      <ScreenHeader title="Bounces" screen={screen} stateKey={key} />
      <p className="mb-4 text-sm text-gray-500">
        Hard = bounce categories {hardBounceCategories().join(', ')} (set ACCT_HARD_BOUNCE_CATEGORIES to
        change); every other local bounce is soft, message-expired shown on its own. Remote bounces (rb:
        accepted, then bounced) are counted beside local ones, never in them.
      </p>
      <Streamed title="Bounce KPIs" stateKey={`kpi${key}`}>
        <BounceKpis screen={screen} />
      </Streamed>
      <div className="mt-4">
        <Streamed title="Bounces over time" stateKey={`ts${key}`} height="h-72">
          <BounceTrend screen={screen} />
        </Streamed>
      </div>
      <div className="mt-4 grid gap-4 lg:grid-cols-2">
        <Streamed title="By bounce category" stateKey={`cat${key}`} height="h-48">
          <BounceCategoryTable screen={screen} />
        </Streamed>
        <Streamed title="By DSN status code" stateKey={`dsn${key}`} height="h-48">
          <DsnCodeTable screen={screen} />
        </Streamed>
        {BY.map((by) => (
          <Streamed key={by} title={`By ${by}`} stateKey={`${by}${key}`} height="h-48">
            <BounceBreakdownTable screen={screen} by={by} query={query} />
          </Streamed>
        ))}
      </div>
    </>
  );
}
