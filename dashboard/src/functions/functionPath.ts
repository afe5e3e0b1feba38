// The dashboard path of a function's page; nested names (email/send) keep their '/'.
export function functionPath(name: string, options: { draft?: boolean } = {}): string {
  const path = `/functions/${name.split("/").map(encodeURIComponent).join("/")}`;
  return options.draft ? `${path}?draft=1` : path;
}
