import Link from 'next/link';
import { Suspense } from 'react';
import { ParamErrorMessage } from '@/components/param-error.tsx';
import { normaliseDomain } from '@/lib/acct/domain.ts';
import { filterParamValue, keyLabel, keyOfPathSegment, ParamError } from '@/lib/filters.ts';
import { getIsPool } from '@/lib/queries/get-is-pool.ts';
import { bucketRecordsQuery, type Screen } from '@/lib/screen-params.ts';
import { SCREENS, type ScreenDimension } from '@/lib/screens.ts';
import { withSearchParams } from '@/lib/search-params.ts';
import { BounceCategories, RecentRecords, SliceBreakdown, TopDiagnostics } from './detail-panels.tsx';
import { ScreenHeader } from './screen-header.tsx';
import { parseCountScreen } from './shared-reads.ts';
import { Streamed } from './streamed.tsx';
import { SummaryCards } from './summary-cards.tsx';
import { Timeline } from './timeline.tsx';

/**
 * On a VirtualMTA page named like a pool: where its records are. PowerMTA logs a pool's name as
 * the VirtualMTA of mail injected into the pool; such records count under the pool (sendingVmta),
 * so an old link or a guess lands on an empty VirtualMTA. Says nothing when the check fails.
 */
async function PoolNameHint({ name, query }: { name: string; query: string }) {
  const isPool = await getIsPool(name).catch(() => false);
  if (!isPool) return null;
  return (
    <p className="mb-4 text-sm text-gray-600 dark:text-gray-300" role="note">
      {name} is a pool. Records that PowerMTA logged with it as their VirtualMTA (mail injected into the pool,
      before a VirtualMTA was chosen) count under the pool:{' '}
      <Link
        prefetch={false}
        href={`${SCREENS.pool.path}/${encodeURIComponent(name)}${query}`}
        className="text-blue-700 hover:underline dark:text-blue-300"
      >
        Pool {name} →
      </Link>
    </p>
  );
}

/**
 * One domain, provider, VirtualMTA, pool, sending IP or job: its KPIs and time series, the same slice
 * broken down by the other side (VirtualMTAs and pools for a domain, providers for a VirtualMTA),
 * bounce categories, the most frequent diagnostics and the newest records.
 */
export async function DetailScreen({
  dim,
  value,
  params,
}: {
  dim: ScreenDimension;
  value: string;
  params: URLSearchParams;
}) {
  const spec = SCREENS[dim];
  let screen: Screen;
  try {
    screen = await parseCountScreen(params);
  } catch (error) {
    if (!(error instanceof ParamError)) throw error;
    return <ParamErrorMessage error={error} />;
  }
  // The key as the filters read it: "(none)" is the records without the field, and a domain is
  // read as stored (/domains/xn--bcher-kva.de is bücher.de's page, as domain=xn--bcher-kva.de is).
  const pathKey = keyOfPathSegment(value);
  if (pathKey.includes('\0')) {
    // PostgreSQL text cannot hold NUL, and no key has one: every panel failed on it (QA).
    return (
      <div className="text-sm">
        <p role="alert" className="text-red-700 dark:text-red-300">
          Invalid {spec.noun} key: it must not contain a NUL character (%00).
        </p>
        <Link prefetch={false} href={spec.path} className="text-blue-700 hover:underline dark:text-blue-300">
          All {spec.items} →
        </Link>
      </div>
    );
  }
  const filterValue = dim === 'domain' && pathKey !== '' ? normaliseDomain(pathKey) : pathKey;
  const filters = { ...screen.filters, [dim]: [filterValue] };
  const slice: Screen = { ...screen, filters };
  const key = params.toString();
  // What only a list screen's table reads is not carried to other screens.
  const tableOnly = { search: null, sort: null, dir: null, limit: null };
  const carried = withSearchParams(params, { ...tableOnly, [dim]: null });
  // A row of a breakdown below opens its own page narrowed to this key (a VirtualMTA of gmail.com
  // opens with domain=gmail.com): that page then shows the counts the row showed.
  const narrowed = withSearchParams(params, { ...tableOnly, [dim]: filterParamValue(filterValue) });
  const threeAcross = spec.detailBreakdowns.length === 3;
  return (
    <>
      <p className="mb-1 text-sm">
        <Link prefetch={false} href={`${spec.path}${carried}`} className="text-gray-500 hover:underline">
          ← {spec.title}
        </Link>
      </p>
      <ScreenHeader
        title={
          <>
            <span className="text-gray-500">{spec.noun}</span> {keyLabel(filterValue)}
          </>
        }
        screen={screen}
        stateKey={key}
        pinned={{ name: dim, value: filterParamValue(filterValue), listPath: spec.path }}
      />
      {dim === 'vmta' ? (
        <Suspense fallback={null}>
          <PoolNameHint name={value} query={carried} />
        </Suspense>
      ) : null}
      <Streamed title="KPIs" stateKey={`kpi${key}`}>
        <SummaryCards screen={slice} />
      </Streamed>
      <div className="mt-4">
        <Streamed title="Records over time" stateKey={`ts${key}`} height="h-80">
          <Timeline screen={slice} filterQuery={bucketRecordsQuery(slice.filters, {})} />
        </Streamed>
      </div>
      {/* Three across only from 1280 px, and dense, as the overview's tops: at a third of the page
          the six columns of a table overflowed its panel at every width, Complaints cut off (QA). */}
      <div className={`mt-4 grid gap-4 ${threeAcross ? 'lg:grid-cols-2 xl:grid-cols-3' : 'lg:grid-cols-2'}`}>
        {spec.detailBreakdowns.map((by) => (
          <Streamed key={by} title={`By ${by}`} stateKey={`${by}${key}`} height="h-64">
            <SliceBreakdown filters={filters} by={by} query={narrowed.slice(1)} dense={threeAcross} />
          </Streamed>
        ))}
      </div>
      <div className="mt-4 grid gap-4 lg:grid-cols-3">
        <Streamed title="Bounce categories" stateKey={`bc${key}`} height="h-64">
          <BounceCategories filters={filters} />
        </Streamed>
        <div className="lg:col-span-2">
          <Streamed title="Top diagnostics" stateKey={`diag${key}`} height="h-64">
            <TopDiagnostics filters={filters} tz={screen.tz} />
          </Streamed>
        </div>
      </div>
      <div className="mt-4">
        <Streamed title="Recent records" stateKey={`rec${key}`} height="h-64">
          <RecentRecords filters={filters} tz={screen.tz} />
        </Streamed>
      </div>
    </>
  );
}
