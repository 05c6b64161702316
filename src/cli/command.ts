// The shape every CLI command implements; main.ts dispatches to them by name.
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** True when standard error is a terminal (progress bars go there). */
  isTty: boolean;
}

export interface CliCommand {
  name: string;
  summary: string;
  /** Returns the process exit code: 0 ok, 1 failed check, 2 usage error, 3 training stopped (non-finite loss). */
  run(argv: string[], io: CliIo): Promise<number>;
}
