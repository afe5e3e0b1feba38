// A dashboard path with query parameters, leaving out empty ones and a zero (offset 0 is the
// default): /emails?status=failed. Every view that keeps its state in the URL writes it with this.
export function pathWithQuery(path: string, params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== "" && value !== 0) search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}
