/** A page's `searchParams` prop (Next.js) as URLSearchParams, repeated keys kept. */
export function toSearchParams(sp: Record<string, string | string[] | undefined>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(sp)) for (const x of [v ?? []].flat()) params.append(k, x);
  return params;
}

/** `params` with `changes` applied (null or '' removes a key), as a `?query` string. */
export function withSearchParams(params: URLSearchParams, changes: Record<string, string | null>): string {
  const next = new URLSearchParams(params);
  for (const [k, v] of Object.entries(changes)) {
    next.delete(k);
    if (v) next.set(k, v);
  }
  return `?${next.toString()}`;
}
