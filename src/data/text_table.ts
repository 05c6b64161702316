// A plain text as a one-column table of its lines, so a dropped .txt file flows through the page's data pipeline.
import { normalizeLineEndings } from './lm_tokens';
import type { DataTable } from './table';

/** The column a .txt file's lines are read into. */
export const TEXT_LINES_COLUMN = 'text';

/** Whether a file name is a plain-text file (read whole, for text generation) rather than a CSV. */
export function isPlainTextName(name: string): boolean {
  return /\.(txt|text|md)$/i.test(name);
}

/**
 * One text column named "text", one row per line (empty lines kept as empty texts, not missing), so joining the
 * rows with "\n" gives the text back (line endings as \n, without a final line break).
 */
export function linesTable(text: string): DataTable {
  const lines = normalizeLineEndings(text).split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  const index = new Map<string, number>();
  const dictionary: string[] = [];
  const codes = new Int32Array(lines.length);
  lines.forEach((line, r) => {
    let code = index.get(line);
    if (code === undefined) {
      code = dictionary.length;
      dictionary.push(line);
      index.set(line, code);
    }
    codes[r] = code;
  });
  return {
    columns: [{ kind: 'text', name: TEXT_LINES_COLUMN, index: 0, missing: 0, codes, dictionary, dictionaryComplete: true }],
    rowCount: lines.length,
    rowLines: Int32Array.from(lines, (_l, r) => r + 1),
    hasHeader: false,
    delimiter: '\n',
    decimalMark: '.',
    skippedBlankRows: 0,
  };
}
