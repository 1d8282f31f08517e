import { normaliseDomain } from '@/lib/acct/domain.ts';
import { keyOfPathSegment } from '@/lib/filters.ts';
import { routeParam } from '@/lib/route-param.ts';
import { toSearchParams } from '@/lib/search-params.ts';
import { DetailScreen } from '../../_sections/detail-screen.tsx';

export const dynamic = 'force-dynamic';

type Props = {
  params: Promise<{ key: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Props) {
  // /domains/xn--bcher-kva.de is bücher.de's page: titled as the domain is shown everywhere else.
  const value = routeParam((await params).key);
  const title = keyOfPathSegment(value) === '' ? value : normaliseDomain(value);
  return { title: `${title} · Domains · acctscope` };
}

export default async function Page({ params, searchParams }: Props) {
  const value = routeParam((await params).key);
  return <DetailScreen dim="domain" value={value} params={toSearchParams(await searchParams)} />;
}
