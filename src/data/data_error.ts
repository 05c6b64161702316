// The error type for problems in user-supplied data files, carrying where the problem is.
export interface DataErrorLocation {
  /** 1-based data row (the header is not counted). */
  row?: number;
  /** Header name of the column. */
  column?: string;
  /** The offending cell text. */
  value?: string;
}

export class DataError extends Error {
  readonly row?: number;
  readonly column?: string;
  readonly value?: string;

  constructor(message: string, location: DataErrorLocation = {}) {
    super(message);
    this.name = 'DataError';
    this.row = location.row;
    this.column = location.column;
    this.value = location.value;
  }
}
