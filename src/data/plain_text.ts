// Reads a plain-text file (UTF-8) for language modelling, refusing binary files and text that is not UTF-8.
import { DataError } from './data_error';

/** Text files over 256 MiB are refused (the token ids alone would be a gigabyte). */
export const MAX_TEXT_BYTES = 256 * 1024 ** 2;

/** The text of UTF-8 bytes (a byte order mark dropped); a DataError for empty, binary or non-UTF-8 content. */
export function decodeTextBytes(bytes: Uint8Array, name = 'The file', maxBytes = MAX_TEXT_BYTES): string {
  if (bytes.length > maxBytes) throw new DataError(`${name} is ${(bytes.length / 1024 ** 2).toFixed(1)} MB, over the ${(maxBytes / 1024 ** 2).toFixed(0)} MB limit for a text.`);
  if (bytes.length === 0) throw new DataError(`${name} is empty: there is no text to learn from.`);
  const zero = bytes.indexOf(0);
  if (zero >= 0) throw new DataError(`${name} looks binary (it holds a zero byte at offset ${zero}), not text. Choose a UTF-8 .txt file.`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new DataError(`${name} is not UTF-8 text. Save it as UTF-8 (or choose a .txt file).`);
  }
  return text;
}
