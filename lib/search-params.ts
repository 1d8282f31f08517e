/** A page's `searchParams` prop (Next.js) as URLSearchParams, repeated keys kept. */
export function toSearchParams(sp: Record<string, string | string[] | undefined>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(sp)) for (const x of [v ?? []].flat()) params.append(k, x);
  return params;
}
