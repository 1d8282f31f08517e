import { getPrisma } from '../db/client.ts';
import { SLICE_KIND } from '../db/slice-kinds.ts';

/** Whether `name` was ever a pool in the records (one probe of the day slices' key index). */
export async function getIsPool(name: string): Promise<boolean> {
  const [row] = await getPrisma().$queryRaw<{ any: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM rollup_slice_day WHERE kind = ${SLICE_KIND.pool} AND key = ${name}) AS any`;
  return row.any;
}
