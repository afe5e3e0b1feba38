// The text shown for any failure: the API's own message when there is one (BackendError carries it).
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
