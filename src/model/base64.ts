/**
 * Strict standard base64 (RFC 4648 §4): the `+/` alphabet, `=` padding optional but correct when
 * present, no whitespace, and the canonical encoding of what it decodes to (no stray trailing bits).
 * Node's own decoder is lenient and silently skips bad characters, so we check first.
 */
const ALPHABET_AND_PADDING = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decodes `text`, or returns the reason it is not valid base64. */
export function decodeBase64(text: string): { ok: true; bytes: Buffer } | { ok: false; reason: string } {
  if (/\s/.test(text)) return { ok: false, reason: 'it contains whitespace or line breaks (encode with `base64 -w0`)' };
  if (!ALPHABET_AND_PADDING.test(text)) {
    return { ok: false, reason: 'it has characters outside the standard base64 alphabet [A-Za-z0-9+/=]' };
  }
  const unpadded = text.replace(/=+$/, '');
  if (unpadded.length % 4 === 1) return { ok: false, reason: 'its length is not a valid base64 length' };
  if (text.length !== unpadded.length && text.length % 4 !== 0) {
    return { ok: false, reason: 'its "=" padding is wrong' };
  }
  const bytes = Buffer.from(unpadded, 'base64');
  if (bytes.toString('base64').replace(/=+$/, '') !== unpadded) {
    return { ok: false, reason: 'it is not canonical base64 (stray bits in the last character)' };
  }
  return { ok: true, bytes };
}
