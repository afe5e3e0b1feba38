// An HTTP request or response as an execution keeps it (keptInput.ts, keptResult.ts): its first
// line, its headers without credentials, and its body as text when it is UTF-8 (otherwise only its
// size). The body comes last, as its own piece, so that a cut keeps the rest and copies only as
// much of a large body as is kept.

/** Headers that carry credentials: never kept, whoever sent them. */
const CREDENTIALS =
  /^(authorization|proxy-authorization|cookie|set-cookie)$|(^|-)(auth|admin-key|api-key|apikey|token|secret|password|session)($|-)/i;

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** JSON text in pieces (joined, it is the document) and its size in UTF-8 bytes. */
export interface JsonPieces {
  pieces: string[];
  bytes: number;
}

export interface HttpDocument {
  method?: string;
  url?: string;
  status?: number;
  /** Lower-case names; a repeated header's values joined with ", ". Credentials are left out. */
  headers: Record<string, string>;
  bodyBytes: number;
  /** The body, when it is UTF-8 text. */
  body?: string;
}

/** `first` (method and URL, or status), then the headers and the body, as JSON pieces. */
export function httpDocument(
  first: Pick<HttpDocument, "method" | "url" | "status">,
  headerList: readonly (readonly [string, string])[],
  body: Uint8Array | undefined,
): JsonPieces {
  const headers: Record<string, string> = {};
  for (const [name, value] of headerList) {
    const key = name.toLowerCase();
    if (CREDENTIALS.test(key)) continue;
    headers[key] = key in headers ? `${headers[key]}, ${value}` : value;
  }
  const bodyBytes = body?.byteLength ?? 0;
  const head = JSON.stringify({ ...first, headers, bodyBytes });
  const text = bodyBytes > 0 ? utf8(body!) : undefined;
  if (text === undefined) return { pieces: [head], bytes: Buffer.byteLength(head) };
  const start = `${head.slice(0, -1)},"body":`;
  const bodyJson = JSON.stringify(text);
  return {
    pieces: [start, bodyJson, "}"],
    bytes: Buffer.byteLength(start) + Buffer.byteLength(bodyJson) + 1,
  };
}

function utf8(bytes: Uint8Array): string | undefined {
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}
