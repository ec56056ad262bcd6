/**
 * The Kubernetes Job of a study's workers: an indexed Job of N pods, each running
 * `hpsearch worker` in the image (whose entrypoint is hpsearch). The storage URL comes from a
 * Secret through the environment, never written into the manifest.
 */
import { UsageError } from '../core/errors.js';
import type { JsonValue } from '../core/types.js';
import { shellLine } from './shell.js';
import { STORAGE_ENV, type WorkerResources } from './workers.js';

export interface K8sJob {
  study: string;
  workers: number;
  resources: WorkerResources;
  image: string;
  namespace: string | null;
  /** The Secret holding the storage URL under SECRET_KEY. */
  secret: string;
  /** The worker's --data-root: where the stored spec's relative paths (data, module) are in the pod. */
  dataRoot: string | null;
  /** Further `hpsearch worker` options (e.g. --stale-after 30). */
  workerArgs: readonly string[];
}

/** The key of the storage URL in the Secret. */
export const SECRET_KEY = 'storage';

/** Seconds between SIGTERM and SIGKILL: the worker's default grace (10 s) and its kill delay, with room to record. */
const TERMINATION_GRACE_S = 60;

/**
 * A DNS-1123 name from a study name: lower case, [a-z0-9-], at most `max` characters (an
 * indexed Job's pod host names add "-INDEX" to the Job's name, which must stay within 63).
 */
export function k8sName(study: string, max = 52): string {
  const slug = `hpsearch-${study}`
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .slice(0, max)
    .replace(/^-+|-+$/g, '');
  return slug;
}

/** Refuses a --namespace or --secret that Kubernetes would not take as a name. */
export function checkK8sName(value: string, flag: string): string {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value) || value.length > 63) {
    throw new UsageError(`${flag} must be a Kubernetes name: lower-case letters, digits and '-', at most 63 (got '${value}')`);
  }
  return value;
}

export function jobManifest(job: K8sJob): Record<string, JsonValue> {
  const { resources } = job;
  const name = k8sName(job.study);
  const labels = { 'app.kubernetes.io/name': 'hpsearch', 'app.kubernetes.io/component': 'worker', 'hpsearch/study': k8sName(job.study, 63) };
  const args = [
    'worker',
    '--study',
    job.study,
    '--slots',
    String(resources.slots),
    ...(job.dataRoot === null ? [] : ['--data-root', job.dataRoot]),
    ...job.workerArgs,
  ];
  const limits: Record<string, JsonValue> = resources.gpus === null ? {} : { 'nvidia.com/gpu': resources.gpus };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, ...(job.namespace === null ? {} : { namespace: job.namespace }), labels },
    spec: {
      completionMode: 'Indexed',
      completions: job.workers,
      parallelism: job.workers,
      // A pod that fails (its node drained, the worker killed) is replaced; its trials wait for the others meanwhile.
      backoffLimit: job.workers * 2,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'OnFailure',
          terminationGracePeriodSeconds: TERMINATION_GRACE_S,
          containers: [
            {
              name: 'worker',
              image: job.image,
              args,
              env: [{ name: STORAGE_ENV, valueFrom: { secretKeyRef: { name: job.secret, key: SECRET_KEY } } }],
              resources: {
                requests: { cpu: String(resources.cpus) },
                ...(resources.gpus === null ? {} : { limits }),
              },
            },
          ],
        },
      },
    },
  };
}

/** The command that makes the Secret from the storage URL. */
export function secretCommand(secret: string, namespace: string | null, url: string): string {
  return shellLine(['kubectl', 'create', 'secret', 'generic', secret, ...(namespace === null ? [] : ['--namespace', namespace]), `--from-literal=${SECRET_KEY}=${url}`]);
}
