// A bad option or setting a person gave (a command-line flag, a training option): the CLI exits 2 with its message.
export class UsageError extends Error {
  override name = 'UsageError';
}
