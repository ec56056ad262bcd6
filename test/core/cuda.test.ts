import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cudaDeviceCount } from '../../src/core/cuda.js';
import { cudaDeviceVisible } from '../../src/train/backend.js';

const dev = (...names: string[]) => () => names;

describe('one CUDA decision for the pool plan and the backend', () => {
  it('counts /dev/nvidiaN on Linux, capped by CUDA_VISIBLE_DEVICES', () => {
    const linux = (env: Record<string, string>, ...names: string[]) => cudaDeviceCount({ env, platform: 'linux', listDev: dev(...names) });
    assert.equal(linux({}, 'nvidia0', 'nvidia1', 'nvidiactl', 'nvidia-uvm', 'null'), 2);
    assert.equal(linux({ CUDA_VISIBLE_DEVICES: '1' }, 'nvidia0', 'nvidia1'), 1);
    assert.equal(linux({ CUDA_VISIBLE_DEVICES: '0,1,2' }, 'nvidia0'), 1);
    assert.equal(linux({}, 'null', 'tty'), 0);
    assert.equal(cudaDeviceCount({ env: {}, platform: 'linux', listDev: () => { throw new Error('EACCES'); } }), 0);
  });

  it('hides every device for CUDA_VISIBLE_DEVICES empty or -1, on any platform', () => {
    for (const platform of ['linux', 'win32', 'darwin']) {
      for (const value of ['', '-1', ' -1 ']) {
        assert.equal(cudaDeviceCount({ env: { CUDA_VISIBLE_DEVICES: value }, platform, listDev: dev('nvidia0') }), 0, `${platform} ${value}`);
      }
    }
  });

  it('on Windows, where there is no cheap check, the plan and the backend agree', () => {
    assert.equal(cudaDeviceCount({ env: {}, platform: 'win32', listDev: dev() }), 1);
    assert.equal(cudaDeviceCount({ env: { CUDA_VISIBLE_DEVICES: '0,1' }, platform: 'win32', listDev: dev() }), 2);
    assert.equal(cudaDeviceCount({ env: {}, platform: 'darwin', listDev: dev('nvidia0') }), 0);
    for (const [env, platform] of [[{}, 'win32'], [{ CUDA_VISIBLE_DEVICES: '-1' }, 'win32'], [{}, 'darwin']] as const) {
      assert.equal(cudaDeviceVisible(env, platform), cudaDeviceCount({ env, platform, listDev: dev() }) > 0, platform);
    }
  });
});

describe('a slot\'s device among those this process sees', () => {
  it('is the parent\'s CUDA_VISIBLE_DEVICES entry at its ordinal (a Slurm task given GPUs 2 and 3)', async () => {
    const { childVisibleDevice } = await import('../../src/core/cuda.js');
    assert.equal(childVisibleDevice(0, '2,3'), '2');
    assert.equal(childVisibleDevice(1, ' 2, 3 '), '3');
    assert.equal(childVisibleDevice(1, 'GPU-aa,GPU-bb'), 'GPU-bb');
    assert.equal(childVisibleDevice(1, undefined), '1');
    assert.equal(childVisibleDevice(3, '0'), '3');
  });
});
