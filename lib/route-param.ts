/** A dynamic route segment as the text it names (Next.js hands it over still percent-encoded). */
export function routeParam(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
