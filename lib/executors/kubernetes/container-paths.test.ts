import { describe, expect, it } from 'vitest';

import { containerStepPaths, parseArtifactUri, runVolumeFor } from './container-paths';

describe('containerStepPaths', () => {
  it('places value outputs and artifact outputs apart', () => {
    const paths = containerStepPaths(
      [
        { name: 'accuracy', type: 'number' },
        { name: 'model', type: 'artifact' },
      ],
      {},
    );
    expect(paths.outputs).toEqual({ accuracy: '/pipedeck/outputs/accuracy', model: '/pipedeck/artifacts/out/model' });
  });

  it('mounts each input artifact under its input name', () => {
    const paths = containerStepPaths([], { data: 'pvc://claim/prepare/1/data.csv' });
    expect(paths.inputArtifacts).toEqual({ data: '/pipedeck/artifacts/in/data/data.csv' });
  });

  it('keeps an input artifact that is not on a claim as it is', () => {
    expect(containerStepPaths([], { data: '/host/path' }).inputArtifacts).toEqual({ data: '/host/path' });
  });
});

describe('parseArtifactUri', () => {
  it('reads claim and path', () => {
    expect(parseArtifactUri('pvc://pipedeck-run-1/train/2/model')).toEqual({ claimName: 'pipedeck-run-1', path: 'train/2/model' });
  });

  it('rejects paths that leave the claim', () => {
    expect(parseArtifactUri('pvc://claim/../../etc/passwd')).toBeUndefined();
    expect(parseArtifactUri('/data/runs/x')).toBeUndefined();
  });
});

describe('runVolumeFor', () => {
  it('gives each run its own claim or a directory on a shared one', () => {
    expect(runVolumeFor({ kind: 'per-run-claim', storageClass: 's', size: '1Gi', accessMode: 'ReadWriteOnce' }, 'run1')?.basePath).toBe('');
    expect(runVolumeFor({ kind: 'shared-claim', claimName: 'shared' }, 'run1')).toEqual({ claimName: 'shared', basePath: 'pipedeck/runs/run1' });
    expect(runVolumeFor({ kind: 'none' }, 'run1')).toBeUndefined();
  });
});
