// How an execution's input and result are stored: the JSON text of a document (keptInput.ts,
// keptResult.ts) with secret values redacted, at most `functions.keepBytes` bytes of it. A longer
// text is stored cut, after a first line that no JSON text can start with, holding the size of the
// whole:
//
//   #truncated 1048590
//   {"payload":{"items":[{"id":1,"name":"a"},{"id":2,…
//
// The API answers a whole document as it is (parsed), a cut one as { truncated, bytes, text }.
import type { JsonRedactor } from "./redactSecrets.js";

const MARK = "#truncated ";
const encoder = new TextEncoder();

/** How much to keep (bytes, over 0) and which secret values to hide. */
export interface Keep extends JsonRedactor {
  bytes: number;
}

/** A document that was not kept whole: the start of its JSON text and the size of all of it. */
export interface CutText {
  /** True when the text was cut at keepBytes (false only for a stored text that is not JSON). */
  truncated: boolean;
  /** UTF-8 bytes of the whole JSON text, before it was cut. */
  bytes: number;
  text: string;
}

/**
 * The stored form of a document whose JSON text is `pieces` joined, `totalBytes` long (UTF-8).
 * Past the cut the pieces are not copied: a 1 MB payload costs a copy of its first keepBytes.
 */
export function keptText(pieces: readonly string[], totalBytes: number, keep: Keep): string {
  if (totalBytes <= keep.bytes) return keep.redact(pieces.length === 1 ? pieces[0]! : pieces.join(""));
  // A character is at least one byte: keep.bytes characters hold the cut, and `reach` more hold any
  // secret that starts before it, so that it is replaced whole before the text is cut.
  const want = keep.bytes + keep.reach;
  let head = "";
  for (const piece of pieces) {
    head += piece.length > want - head.length ? piece.slice(0, want - head.length) : piece;
    if (head.length >= want) break;
  }
  return `${MARK}${totalBytes}\n${cutAt(keep.redact(head), keep.bytes)}`;
}

/** The longest start of `text` that is at most `bytes` bytes of UTF-8, never half a character. */
function cutAt(text: string, bytes: number): string {
  if (text.length * 3 <= bytes) return text;
  const { read } = encoder.encodeInto(text, new Uint8Array(bytes));
  return text.slice(0, read);
}

/** A stored text as the API answers it: the document, a CutText, or null when nothing was kept. */
export function readKept(stored: string | null): unknown {
  if (stored === null) return null;
  if (stored.startsWith(MARK)) {
    const end = stored.indexOf("\n");
    const cut: CutText = {
      truncated: true,
      bytes: Number(stored.slice(MARK.length, end)),
      text: stored.slice(end + 1),
    };
    return cut;
  }
  try {
    return JSON.parse(stored);
  } catch {
    // Only if hiding a secret broke the JSON: still shown, as text.
    const whole: CutText = { truncated: false, bytes: Buffer.byteLength(stored), text: stored };
    return whole;
  }
}
