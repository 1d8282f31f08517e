import { Panel } from '@/components/panel.tsx';
import { ParamErrorMessage } from '@/components/param-error.tsx';
import { SortableBreakdownTable, type SparklineValues } from '@/components/sortable-breakdown-table.tsx';
import { TableSearch } from '@/components/table-search.tsx';
import { ViewToggle } from '@/components/view-toggle.tsx';
import { applyBreakdownView, type BreakdownView, parseBreakdownView } from '@/lib/breakdown-view.ts';
import { ParamError, parseChoice } from '@/lib/filters.ts';
import { atBucketPace } from '@/lib/queries/buckets.ts';
import { getBreakdownSeries, sparklineBucket } from '@/lib/queries/get-breakdown-series.ts';
import { MATRIX_METRICS, type MatrixMetric } from '@/lib/queries/get-matrix.ts';
import { MinutesNotKeptError } from '@/lib/queries/minute-reads.ts';
import { carriedQuery, filtersQuery, recordsHref, type Screen } from '@/lib/screen-params.ts';
import { detailHref, SCREENS, type ScreenDimension } from '@/lib/screens.ts';
import { withSearchParams } from '@/lib/search-params.ts';
import { NoRecords } from './no-records.tsx';
import { MATRIX_DIMENSIONS, ProviderMatrix } from './provider-matrix.tsx';
import { ScreenHeader } from './screen-header.tsx';
import { getScreenBreakdown, parseCountScreen } from './shared-reads.ts';
import { Streamed } from './streamed.tsx';

async function BreakdownPanel({
  dim,
  screen,
  view,
  params,
}: {
  dim: ScreenDimension;
  screen: Screen;
  view: BreakdownView;
  params: URLSearchParams;
}) {
  const spec = SCREENS[dim];
  const { filters } = screen;
  const { rows } = await getScreenBreakdown(filters, dim, Number.MAX_SAFE_INTEGER);
  if (rows.length === 0) {
    return (
      <Panel title={spec.title}>
        <NoRecords />
      </Panel>
    );
  }
  const { rows: shown, matched } = applyBreakdownView(rows, view);
  const bucket = sparklineBucket(filters.from, filters.to, screen.minuteKeptFrom);
  const series = await getBreakdownSeries(
    filters,
    dim,
    shown.map((r) => r.key),
    bucket,
    screen.tz,
  ).catch((error: unknown) => {
    // A zone off whole hours reads its hours from minutes, no longer kept this far back
    // (MINUTE_ROLLUP_RETENTION_DAYS): the table without its trends.
    if (error instanceof MinutesNotKeptError) return new Map<string, never[]>();
    throw error;
  });
  const sparklines = new Map<string, SparklineValues>();
  const paced = (points: { t: string }[], values: number[]) =>
    atBucketPace(points, values, bucket, screen.tz, filters.from, filters.to);
  for (const [key, points] of series) {
    sparklines.set(key, {
      delivered: paced(
        points,
        points.map((p) => p.counts.delivered),
      ),
      failed: paced(
        points,
        points.map((p) => p.counts.bounced + p.counts.deferred),
      ),
    });
  }
  const carried = carriedQuery(params);
  return (
    <SortableBreakdownTable
      title={spec.title}
      items={spec.items}
      keyLabel={spec.noun}
      rows={shown}
      matched={matched}
      sort={view.sort}
      dir={view.dir}
      sortHref={(sort, dir) => withSearchParams(params, { sort, dir })}
      detailHref={(key) => detailHref(dim, key, carried)}
      recordsHref={(key, type) => recordsHref(filters, type ? { [dim]: key, type } : { [dim]: key })}
      sparklines={sparklines}
      moreHref={withSearchParams(params, { limit: String(Math.min(10_000, matched)) })}
      csvHref={`/api/v1/stats/breakdown?${filtersQuery(filters, {
        by: dim,
        format: 'csv',
        sort: view.sort,
        dir: view.dir,
        ...(view.search ? { search: view.search } : {}),
      })}`}
    />
  );
}

/** A breakdown screen (domains, providers, VirtualMTAs, pools, sending IPs, jobs). */
export async function BreakdownScreen({ dim, params }: { dim: ScreenDimension; params: URLSearchParams }) {
  const spec = SCREENS[dim];
  let screen: Screen;
  let view: BreakdownView;
  let metric: MatrixMetric;
  try {
    screen = await parseCountScreen(params, false);
    view = parseBreakdownView(params, spec.defaultSort);
    metric = parseChoice(params, 'matrix', MATRIX_METRICS, 'deferral');
  } catch (error) {
    if (!(error instanceof ParamError)) throw error;
    return <ParamErrorMessage error={error} />;
  }
  const key = params.toString();
  return (
    <>
      <ScreenHeader title={spec.title} screen={screen} stateKey={key} bucketed={false}>
        {spec.siblings.length > 1 ? (
          <ViewToggle
            label="View"
            current={dim}
            query={carriedQuery(params)}
            views={spec.siblings.map((id) => ({ id, title: SCREENS[id].title, path: SCREENS[id].path }))}
          />
        ) : null}
      </ScreenHeader>
      <div className="mb-3">
        <TableSearch label={`Search ${spec.items}`} />
      </div>
      <Streamed title={spec.title} stateKey={key} height="h-96">
        <BreakdownPanel dim={dim} screen={screen} view={view} params={params} />
      </Streamed>
      {MATRIX_DIMENSIONS.includes(dim) ? (
        <div id="by-provider" className="mt-4 scroll-mt-4">
          <Streamed title={`${spec.title} by provider`} stateKey={`matrix${key}`} height="h-64">
            <ProviderMatrix dim={dim} screen={screen} metric={metric} params={params} />
          </Streamed>
        </div>
      ) : null}
    </>
  );
}
