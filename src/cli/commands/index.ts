import { TRIAL_STATES } from '../../core/types.js';
import type { Args, CommandDef } from '../parser.js';
import { formatOptions, jsonOption, storageOptions, type OptionSpec } from '../options.js';
import { staleOption } from '../worker-options.js';

const whereOption = {
  where: {
    type: 'string',
    array: true,
    describe: "only trials where FIELD OP VALUE holds: a parameter, metric or attribute; OP <, <=, >, >=, ==, !=; 'a < 1 and b == x' or repeated",
  },
} as const satisfies Record<string, OptionSpec>;


/** Options of the commands that start a study's workers on a cluster (slurm, k8s). */
const clusterOptions = {
  storage: { type: 'string', describe: 'the shared study database, a postgresql:// URL every node reaches (default: $HPSEARCH_STORAGE, else the spec)' },
  study: { type: 'string', describe: "study name (default: the spec's name)" },
  workers: { type: 'number', describe: 'how many workers (array tasks, pods)' },
  slots: { type: 'number', describe: 'parallel slots of each worker (default: one per GPU, else the spec, else one per CPU)' },
  'gpus-per-worker': { type: 'number', describe: "GPUs of each worker; its slots use the devices it is given" },
  'allow-spec-change': { type: 'boolean', default: false, describe: 'resume although run_cap was raised or stages added' },
  preflight: { type: 'boolean', default: true, describe: 'skip the preflight checks run before the study is created (tfjs trainer)' },
  ...staleOption,
} as const satisfies Record<string, OptionSpec>;

type Loader = () => Promise<{ default: (args: Args) => Promise<void> }>;

/** A command whose implementation is imported only when it runs. */
function lazy(
  command: string,
  describe: string,
  options: Readonly<Record<string, OptionSpec>>,
  load: Loader,
): CommandDef {
  return {
    command,
    describe,
    options,
    handler: async (args) => {
      const impl = await load();
      await impl.default(args);
    },
  };
}

export const commands = [
  lazy(
    'run <spec>',
    'create or resume the study of a spec and run its trials',
    {
      ...storageOptions,
      ...jsonOption,
      'run-cap': { type: 'number', describe: 'total trials for this run (instead of run_cap)' },
      'allow-spec-change': { type: 'boolean', default: false, describe: 'resume although run_cap was raised or stages added' },
      backend: { type: 'string', describe: 'force a TensorFlow.js backend: tfjs-node-gpu, tfjs-node, blas, wasm, cpu' },
      slots: { type: 'number', describe: 'parallel slots (default: the spec, else one per core), as for worker' },
      parallelism: { type: 'number', describe: 'the same as --slots (its older name)' },
      quiet: { type: 'boolean', default: false, describe: 'print only the summary' },
      grace: { type: 'number', describe: 'seconds running trials may still finish after a first Ctrl-C before they are stopped (default 10)' },
      require: { type: 'string', array: true, describe: "after the run, exit 1 unless the best trial meets this, e.g. 'val_accuracy>=0.95' (repeatable)" },
      serve: { type: 'boolean', default: false, describe: 'serve the live report page beside the run and print its URL (see hpsearch serve)' },
      port: { type: 'number', default: 0, describe: 'with --serve: TCP port of the page (0: any free port)' },
      preflight: { type: 'boolean', default: true, describe: 'skip the preflight checks that run before any trial (tfjs trainer)' },
      ...staleOption,
    },
    () => import('./run.js'),
  ),
  lazy(
    'worker',
    'join a study on a shared database (postgresql://…) or journal file (journal:PATH) from the spec stored with it, and run its trials',
    {
      ...storageOptions,
      ...jsonOption,
      slots: { type: 'number', describe: 'parallel slots on this machine (default: the spec, else one per core)' },
      'max-trials': { type: 'number', describe: 'start at most this many trials here' },
      'idle-exit': { type: 'number', describe: 'leave after this many seconds with nothing to claim (default: stay until the budget is met)' },
      'data-root': { type: 'string', describe: "resolve the stored spec's relative paths (data, module) against this folder" },
      quiet: { type: 'boolean', default: false, describe: 'print only the summary' },
      grace: { type: 'number', describe: 'seconds running trials may still finish after a first Ctrl-C (default 10)' },
      ...staleOption,
    },
    () => import('./worker.js'),
  ),
  lazy(
    'slurm <spec>',
    'create the study and submit a Slurm job array whose every task runs `hpsearch worker` on it',
    {
      ...clusterOptions,
      partition: { type: 'string', describe: 'Slurm partition of the tasks' },
      time: { type: 'string', describe: "each task's time limit, as Slurm writes it (02:00:00, 1-00:00:00)" },
      'cpus-per-worker': { type: 'number', describe: 'CPUs of each task (default: one per slot)' },
      'sbatch-arg': { type: 'string', array: true, describe: 'a further sbatch option, e.g. --sbatch-arg=--account=lab (repeatable)' },
      'dry-run': { type: 'boolean', default: false, describe: 'print the sbatch script; create and submit nothing' },
      wait: { type: 'boolean', default: false, describe: 'follow the study until it is complete or the array has ended, and exit as run does' },
      require: { type: 'string', array: true, describe: "with --wait: exit 1 unless the best trial meets this, e.g. 'val_accuracy>=0.95' (repeatable)" },
      quiet: { type: 'boolean', default: false, describe: 'with --wait: print only the summary' },
      json: { type: 'boolean', default: false, describe: "print JSON on stdout: the job id, study, script path; with --wait also the summary run --json prints" },
    },
    () => import('./slurm.js'),
  ),
  lazy(
    'k8s <spec>',
    'create the study and print a Kubernetes indexed Job whose every pod runs `hpsearch worker` on it (for kubectl apply -f -)',
    {
      ...clusterOptions,
      image: { type: 'string', describe: 'the hpsearch image the pods run (built from the Dockerfile)' },
      namespace: { type: 'string', describe: "the Job's namespace (default: kubectl's)" },
      secret: { type: 'string', describe: 'the Secret holding the storage URL under key "storage" (default: hpsearch-STUDY-storage)' },
      'data-root': { type: 'string', describe: "in the pod, resolve the stored spec's relative paths (data, module) against this folder" },
      json: { type: 'boolean', default: false, describe: 'print JSON on stdout: the Job name, study, Secret, its command and the manifest (jq .manifest | kubectl apply -f -)' },
    },
    () => import('./k8s.js'),
  ),
  lazy(
    'copy',
    'copy studies between two storages (SQLite file ↔ postgresql:// URL ↔ journal:PATH)',
    {
      from: { type: 'string', describe: 'source storage (a SQLite file, a postgresql:// URL or journal:PATH)' },
      to: { type: 'string', describe: 'destination storage (created when absent)' },
      study: { type: 'string', array: true, describe: 'copy only this study (repeatable; default: all)' },
      ...jsonOption,
    },
    () => import('./copy.js'),
  ),
  lazy('validate <spec>', 'check a spec and print what it will search', { ...jsonOption }, () => import('./validate.js')),
  lazy('studies', 'list the studies in a database', { ...storageOptions, ...formatOptions }, () => import('./studies.js')),
  lazy(
    'trials',
    "list a study's trials",
    {
      ...storageOptions,
      ...formatOptions,
      state: { type: 'string', choices: TRIAL_STATES, describe: 'only trials in this state' },
      sort: { type: 'string', choices: ['number', 'value'], default: 'number', describe: 'order of the rows' },
      ...whereOption,
    },
    () => import('./trials.js'),
  ),
  lazy(
    'best',
    'the best trials of a study',
    {
      ...storageOptions,
      ...formatOptions,
      top: { type: 'number', describe: 'how many trials (default 1; of a multi-objective study, its whole Pareto front)' },
      by: { type: 'string', choices: ['last', 'min', 'max'], describe: "read the metric from the curve's last epoch (default), or its min or max; with several objectives, ranks by the first instead of showing the front" },
      ...whereOption,
    },
    () => import('./best.js'),
  ),
  lazy(
    'diagnose [trial]',
    "why trials lost: one trial's verdict and loss chart, or the study's verdicts and what the search space should change",
    { ...storageOptions, ...formatOptions, all: { type: 'boolean', default: false, describe: 'list every trial of the study (default: the counts, the best 10 and the suggestions)' } },
    () => import('./diagnose.js'),
  ),
  lazy('preflight <spec>', 'sanity checks on the spec\'s fixed settings before spending budget', { ...jsonOption }, () => import('./preflight.js')),
  lazy('gradcheck <spec>', 'compare backprop gradients with finite differences, per weight tensor', { ...jsonOption }, () => import('./gradcheck.js')),
  lazy(
    'check',
    'CI gate: exit 0 when the best trial meets every --require, 1 otherwise',
    {
      ...storageOptions,
      ...jsonOption,
      require: { type: 'string', array: true, describe: "a requirement such as 'val_accuracy>=0.95' (repeatable)" },
    },
    () => import('./check.js'),
  ),
  lazy(
    'report',
    'one self-contained HTML page of a study: history, learning curves, parallel coordinates, importance, trials',
    { ...storageOptions, out: { type: 'string', describe: "the HTML file to write (default: STUDY-report.html beside the storage, e.g. in runs/)" } },
    () => import('./report.js'),
  ),
  lazy(
    'serve',
    'the report page of a study, live: it follows the study as epochs arrive',
    {
      ...storageOptions,
      port: { type: 'number', default: 8765, describe: 'TCP port (0: any free port)' },
      host: { type: 'string', default: '127.0.0.1', describe: 'address to listen on (loopback by default)' },
    },
    () => import('./serve.js'),
  ),
  lazy(
    'export',
    "a study for other tools: Optuna's SQLite schema (optuna.load_study opens it), CSV (a row per trial) or JSON",
    {
      ...storageOptions,
      format: { type: 'string', choices: ['optuna', 'csv', 'json'], demandOption: true, describe: 'what to write' },
      out: { type: 'string', describe: 'a new file to write (csv and json: stdout when left out)' },
    },
    () => import('./export.js'),
  ),
  lazy(
    'export-model <trial>',
    "write a trial's kept model where tf.loadLayersModel reads it (model.json, weights.bin, hpsearch.json)",
    { ...storageOptions, ...jsonOption, out: { type: 'string', describe: 'the directory to write (new or empty)' } },
    () => import('./export-model.js'),
  ),
  lazy('predict <trial> <data>', "class probabilities of a CSV's rows by a trial's kept model", { ...storageOptions, ...formatOptions }, () => import('./predict.js')),
  lazy(
    'ensemble',
    "the mean softmax of a study's best kept models on the test split, next to the best single model",
    { ...storageOptions, ...jsonOption, top: { type: 'number', default: 5, describe: 'how many of the best kept models' } },
    () => import('./ensemble.js'),
  ),
  lazy(
    'replay <study>',
    "retrain a pbt study's winning schedule from scratch as one trial of STUDY-replay and say whether it reproduces the result",
    {
      storage: storageOptions.storage,
      ...jsonOption,
      trial: { type: 'number', describe: 'replay the member of this trial (default: the member of the best complete segment)' },
      tolerance: { type: 'number', describe: 'the largest difference from the original result that still reproduces it (default 1e-6)' },
      'data-root': { type: 'string', describe: "resolve the stored spec's relative paths (data, module) against this folder" },
    },
    () => import('./replay.js'),
  ),
  lazy('show <trial>', 'one trial: parameters, state and reason, per-epoch table', { ...storageOptions, ...formatOptions }, () => import('./show.js')),
];
