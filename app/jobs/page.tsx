import { toSearchParams } from '@/lib/search-params.ts';
import { BreakdownScreen } from '../_sections/breakdown-screen.tsx';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Jobs · acctscope' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function Page({ searchParams }: { searchParams: SearchParams }) {
  return <BreakdownScreen dim="job" params={toSearchParams(await searchParams)} />;
}
