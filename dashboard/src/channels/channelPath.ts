// The dashboard path of a channel: its name is one path segment, so a '/' in it is encoded.
export function channelPath(name: string): string {
  return `/channels/${encodeURIComponent(name)}`;
}
