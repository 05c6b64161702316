// Language-model tokens: characters (case, newlines and spacing kept) or words, and joining tokens back into text.

export type LmTokenLevel = 'char' | 'word';

/** Words (letters/digits with inner apostrophes), line breaks, and single other non-space characters; case kept. */
const LM_WORD = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*|\n|[^\s\p{L}\p{N}]/gu;
/** Tokens written without a space before them (closing punctuation) or after them (opening punctuation, line breaks). */
const NO_SPACE_BEFORE = /^[.,;:!?)\]}’”»%]$/;
const NO_SPACE_AFTER = /^[(\[{“«\n]$/;

/** Line endings \r\n and \r as \n, so a text reads the same from any system. */
export function normalizeLineEndings(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/**
 * The tokens of a text for a language model. 'char': every Unicode code point, case, spaces and line breaks as written
 * (a language model must learn them too; classification's char tokens lowercase and squeeze spaces instead). 'word':
 * words and punctuation as in classification, case kept, and each line break a token of its own.
 */
export function lmTokenize(text: string, level: LmTokenLevel): string[] {
  const source = normalizeLineEndings(text);
  if (level === 'char') return Array.from(source);
  return source.match(LM_WORD) ?? [];
}

/** Text from tokens: characters joined as they are; words joined by spaces, none before closing or after opening punctuation and line breaks. */
export function lmDetokenize(tokens: readonly string[], level: LmTokenLevel): string {
  if (level === 'char') return tokens.join('');
  let out = '';
  let previous = '\n';
  for (const t of tokens) {
    const space = out !== '' && !NO_SPACE_AFTER.test(previous) && !NO_SPACE_BEFORE.test(t) && t !== '\n';
    out += (space ? ' ' : '') + t;
    previous = t;
  }
  return out;
}
