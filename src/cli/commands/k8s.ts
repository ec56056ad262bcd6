import { stringify } from 'yaml';
import { UsageError } from '../../core/errors.js';
import { checkK8sName, jobManifest, k8sName, secretCommand } from '../../launch/k8s-manifest.js';
import { maskPassword } from '../../store/pg-location.js';
import { err, out, printJson } from '../output.js';
import type { Args } from '../parser.js';
import { checkLaunch, createStudy, workerArgs } from './launch-study.js';

function nameOption(value: unknown, flag: string): string | null {
  if (value === undefined) return null;
  if (typeof value !== 'string') throw new UsageError(`${flag} needs a value`);
  return checkK8sName(value, flag);
}

/**
 * `hpsearch k8s SPEC --storage URL --workers N --image IMAGE`: creates the study and prints
 * an indexed Job of N pods running `hpsearch worker` on it, for `kubectl apply -f -`; the
 * storage URL goes in a Secret (the command that makes it is printed on stderr).
 */
export default async function k8s(args: Args): Promise<void> {
  const image = args['image'];
  if (typeof image !== 'string' || image.trim() === '') throw new UsageError('--image must name the hpsearch image the pods run (see the Dockerfile)');
  const namespace = nameOption(args['namespace'], '--namespace');
  const launch = await checkLaunch(args, 'k8s');
  const secret = nameOption(args['secret'], '--secret') ?? `${k8sName(launch.studyName, 44)}-storage`;
  const dataRoot = typeof args['dataRoot'] === 'string' ? args['dataRoot'] : null;
  const manifest = jobManifest({
    study: launch.studyName,
    workers: launch.workers,
    resources: launch.resources,
    image: image.trim(),
    namespace,
    secret,
    dataRoot,
    workerArgs: workerArgs(args),
  });
  const { study, resumed } = await createStudy(launch, args);
  const shown = maskPassword(launch.location);
  const jobName = String((manifest['metadata'] as Record<string, unknown>)['name']);
  if (args['json'] === true) {
    // `jq .manifest | kubectl apply -f -` applies it: kubectl reads JSON as well as YAML.
    printJson({ job: jobName, study: study.name, resumed, workers: launch.workers, namespace, secret, secretCommand: secretCommand(secret, namespace, shown), manifest });
    return;
  }
  out(stringify(manifest, { aliasDuplicateObjects: false }).trimEnd());
  err(`hpsearch: ${resumed ? 'resumed' : 'created'} study ${study.name}; its ${launch.workers} pods read the storage URL from Secret ${secret}, made with:`);
  err(`  ${secretCommand(secret, namespace, shown)}`);
  if (shown !== launch.location) err('  (the password is shown as ***: write it in its place)');
  err(`then: hpsearch k8s … | kubectl apply -f -    (follow with: kubectl get job ${jobName}${namespace === null ? '' : ` -n ${namespace}`})`);
}
