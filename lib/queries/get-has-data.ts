import { getPrisma } from '../db/client.ts';

/** Whether anything was ever ingested (an empty panel then means "no data in range", not "no data"). */
export async function getHasData(): Promise<boolean> {
  const [row] = await getPrisma().$queryRaw<{ any: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM acct_file WHERE records > 0) AS any`;
  return row.any;
}
