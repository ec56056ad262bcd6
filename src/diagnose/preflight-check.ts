/** One preflight check's result (a leaf: preflight.ts and user-model-check.ts both make them). */

export type PreflightCheckName = 'data' | 'model' | 'initial_loss' | 'regularization' | 'overfit';

export interface PreflightCheck {
  name: PreflightCheckName;
  passed: boolean;
  /** Passed, but the message says what to look at (printed as `warn`). */
  warning?: boolean;
  /** What was found, with its numbers; for a failure, what to fix. */
  message: string;
  evidence: Record<string, number | string | null>;
}
