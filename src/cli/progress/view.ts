import type { StudyEvents } from '../../study/events.js';

/** A run's progress view: the study's events, plus warnings and a final tidy-up. */
export interface ProgressView extends StudyEvents {
  /** A message that shows even with --quiet (a signal received, what happens next). */
  warn(message: string): void;
  /** Removes what must not outlive the run (the bars' cursor handling). */
  stop(): void;
}
