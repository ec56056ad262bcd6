import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { checkK8sName, jobManifest, k8sName, secretCommand, type K8sJob } from '../../src/launch/k8s-manifest.js';
import { workerResources } from '../../src/launch/workers.js';

const job = (over: Partial<K8sJob> = {}): K8sJob => ({
  study: 'Digits_MLP',
  workers: 3,
  resources: workerResources({ slots: null, cpus: null, gpus: null, specParallelism: null }),
  image: 'registry.example.org/lab/hpsearch:0.1.0',
  namespace: 'ml',
  secret: 'hpsearch-storage',
  dataRoot: null,
  workerArgs: [],
  ...over,
});

interface Container {
  args: string[];
  env: { name: string; valueFrom?: { secretKeyRef?: { name: string; key: string } }; value?: string }[];
  resources: { limits?: Record<string, unknown>; requests?: Record<string, unknown> };
}

function container(manifest: Record<string, unknown>): Container {
  const spec = manifest['spec'] as { template: { spec: { containers: Container[] } } };
  const first = spec.template.spec.containers[0];
  assert.ok(first !== undefined);
  return first;
}

describe('the Kubernetes Job of a study', () => {
  it('is a valid indexed batch/v1 Job of N pods running hpsearch worker, the storage from a Secret', () => {
    const manifest = jobManifest(job({ dataRoot: '/data', workerArgs: ['--stale-after', '30'] }));
    new Job(manifest).validate();
    const spec = manifest['spec'] as Record<string, unknown>;
    assert.equal(spec['completionMode'], 'Indexed');
    assert.equal(spec['parallelism'], 3);
    assert.equal(spec['completions'], 3);
    assert.deepEqual(manifest['metadata'], {
      name: 'hpsearch-digits-mlp',
      namespace: 'ml',
      labels: { 'app.kubernetes.io/name': 'hpsearch', 'app.kubernetes.io/component': 'worker', 'hpsearch/study': 'hpsearch-digits-mlp' },
    });
    const c = container(manifest);
    assert.deepEqual(c.args, ['worker', '--study', 'Digits_MLP', '--slots', '1', '--data-root', '/data', '--stale-after', '30']);
    assert.deepEqual(c.env, [{ name: 'HPSEARCH_STORAGE', valueFrom: { secretKeyRef: { name: 'hpsearch-storage', key: 'storage' } } }]);
    assert.equal(c.resources.limits, undefined);
  });

  it('asks for GPUs as nvidia.com/gpu limits, one slot per GPU', () => {
    const manifest = jobManifest(job({ resources: workerResources({ slots: null, cpus: 4, gpus: 2, specParallelism: null }), namespace: null }));
    new Job(manifest).validate();
    const c = container(manifest);
    assert.deepEqual(c.resources, { requests: { cpu: '4' }, limits: { 'nvidia.com/gpu': 2 } });
    assert.deepEqual(c.args.slice(3, 5), ['--slots', '2']);
    assert.equal((manifest['metadata'] as Record<string, unknown>)['namespace'], undefined);
  });

  it('the schema package notices a broken manifest (so the checks above mean something)', () => {
    const manifest = jobManifest(job());
    (manifest['spec'] as Record<string, unknown>)['parallelism'] = '3';
    assert.throws(() => new Job(manifest).validate(), /parallelism must be integer/);
  });

  it('makes Kubernetes names of study names and refuses bad ones', () => {
    assert.equal(k8sName('--Weird study!!'), 'hpsearch-weird-study');
    assert.ok(k8sName('x'.repeat(200)).length <= 52);
    assert.equal(checkK8sName('ml-team', '--namespace'), 'ml-team');
    assert.throws(() => checkK8sName('ML_team', '--namespace'), /--namespace must be a Kubernetes name/);
    assert.equal(secretCommand('s', 'ml', "postgresql://u:p'w@db/x"), "kubectl create secret generic s --namespace ml '--from-literal=storage=postgresql://u:p'\\''w@db/x'");
  });
});
