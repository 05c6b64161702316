// How a person uses a column: the inferred type, or the one chosen instead (a number column read as a category …).
export type ColumnUse = 'number' | 'category' | 'text' | 'date';
