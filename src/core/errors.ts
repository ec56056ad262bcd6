/** The root of every error hpsearch raises on purpose. Library code throws; only cli/ exits. */
export class HpsearchError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/** Exit codes of the CLI (DESIGN.md, Conventions). */
export const ExitCode = {
  ok: 0,
  checkFailed: 1,
  usage: 2,
  notFound: 3,
  storage: 4,
  interrupted: 130,
  terminated: 143,
} as const;

/** One problem found in a spec, located in its file. */
export interface SpecIssue {
  file: string;
  line: number;
  col: number;
  /** Dotted path of the offending key, e.g. `parameters.learning_rate.min`. */
  path: string;
  message: string;
}

export function formatSpecIssue(issue: SpecIssue): string {
  return `${issue.file}:${issue.line}:${issue.col}: ${issue.path === '' ? '(root)' : issue.path}: ${issue.message}`;
}

/** A spec that does not parse or validate; carries every issue found in one pass. */
export class SpecError extends HpsearchError {
  readonly issues: readonly SpecIssue[];
  constructor(issues: readonly SpecIssue[]) {
    super(issues.map(formatSpecIssue).join('\n'), ExitCode.usage);
    this.issues = issues;
  }
}

/** Bad command-line usage, or a request the study refuses (e.g. a changed spec on resume). */
export class UsageError extends HpsearchError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.usage, options);
  }
}

/** A study or trial that does not exist. */
export class NotFoundError extends HpsearchError {
  constructor(message: string) {
    super(message, ExitCode.notFound);
  }
}

/** The storage could not be opened, read or written. */
export class StorageError extends HpsearchError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.storage, options);
  }
}

/** A check (preflight, --require threshold) failed, or nothing finished. */
export class CheckFailedError extends HpsearchError {
  constructor(message: string) {
    super(message, ExitCode.checkFailed);
  }
}

/** The run was interrupted by a signal after a clean drain. */
export class InterruptedError extends HpsearchError {
  constructor(message: string, exitCode: number = ExitCode.interrupted) {
    super(message, exitCode);
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
