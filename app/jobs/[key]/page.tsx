import { routeParam } from '@/lib/route-param.ts';
import { toSearchParams } from '@/lib/search-params.ts';
import { DetailScreen } from '../../_sections/detail-screen.tsx';

export const dynamic = 'force-dynamic';

type Props = {
  params: Promise<{ key: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Props) {
  return { title: `${routeParam((await params).key)} · Jobs · acctscope` };
}

export default async function Page({ params, searchParams }: Props) {
  const value = routeParam((await params).key);
  return <DetailScreen dim="job" value={value} params={toSearchParams(await searchParams)} />;
}
