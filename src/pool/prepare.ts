import { UsageError, errorMessage } from '../core/errors.js';
import { BACKENDS, type BackendName } from '../train/identifiers.js';
import { loadTrainFunction } from '../train/load.js';
import type { PrepareReply, PrepareRequest } from './protocol.js';

function backendName(value: string | null): BackendName {
  return value !== null && (BACKENDS as readonly string[]).includes(value) ? (value as BackendName) : 'auto';
}

/**
 * Loads the trainer in the current thread and, for the TensorFlow.js trainer, resolves and
 * activates its backend, so the first trial starts warm and a backend that cannot load is
 * reported before any trial runs. Never throws: a failure is a reply.
 */
export async function prepareTrainer(request: PrepareRequest): Promise<PrepareReply> {
  try {
    await loadTrainFunction(request.trainer);
    if (request.trainer !== 'tfjs') return { ok: true, info: { backend: null, note: null } };
    const { resolveBackend } = await import('../train/backend.js');
    const resolved = await resolveBackend(backendName(request.backend));
    return { ok: true, info: { backend: resolved.name, note: resolved.note } };
  } catch (error) {
    return { ok: false, message: errorMessage(error), usage: error instanceof UsageError };
  }
}

/** The reply as the executor's answer: its info, or the error (a UsageError when it was one). */
export function unwrapReply(reply: PrepareReply): PrepareReply & { ok: true } {
  if (reply.ok) return reply;
  throw reply.usage ? new UsageError(reply.message) : new Error(reply.message);
}
