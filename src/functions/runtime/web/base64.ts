// atob / btoa: base64 over "binary strings" (one char per byte), with the forgiving decoder of the
// HTML spec (whitespace ignored, padding optional) and InvalidCharacterError where browsers throw it.
import { DOMException } from "./domException.js";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

export function btoa(...args: [data?: unknown]): string {
  if (args.length === 0) throw new TypeError("btoa requires 1 argument");
  const input = String(args[0]);
  let out = "";
  for (let i = 0; i < input.length; i += 3) {
    const bytes = [input.charCodeAt(i), input.charCodeAt(i + 1), input.charCodeAt(i + 2)];
    for (let j = 0; j < 3 && i + j < input.length; j++) {
      if (bytes[j]! > 0xff) throw new DOMException("Invalid character", "InvalidCharacterError");
    }
    const [a = 0, b = 0, c = 0] = bytes.map((x) => (Number.isNaN(x) ? 0 : x));
    const triple = (a << 16) | (b << 8) | c;
    const left = input.length - i;
    out += ALPHABET[(triple >> 18) & 63]! + ALPHABET[(triple >> 12) & 63]!;
    out += left > 1 ? ALPHABET[(triple >> 6) & 63]! : "=";
    out += left > 2 ? ALPHABET[triple & 63]! : "=";
  }
  return out;
}

export function atob(...args: [data?: unknown]): string {
  if (args.length === 0) throw new TypeError("atob requires 1 argument");
  let input = String(args[0]).replace(/[\t\n\f\r ]/g, "");
  if (input.length % 4 === 0) input = input.replace(/={1,2}$/, "");
  if (input.length % 4 === 1 || /[^A-Za-z0-9+/]/.test(input)) {
    throw new DOMException("The string to be decoded is not correctly encoded.", "InvalidCharacterError");
  }
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (let i = 0; i < input.length; i++) {
    buffer = (buffer << 6) | ALPHABET.indexOf(input[i]!);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += String.fromCharCode((buffer >> bits) & 0xff);
    }
  }
  return out;
}
