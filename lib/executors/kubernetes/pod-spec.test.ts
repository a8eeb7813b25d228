import { describe, expect, it } from 'vitest';

import type { AttemptSpec } from '../types';
import { buildPod, PodSpecError, terminationMessagePathFor } from './pod-spec';
import { podNameFor } from './pod-names';

function makeSpec(overrides: Partial<AttemptSpec> = {}): AttemptSpec {
  return {
    runId: 'run1',
    stepId: 'train',
    attempt: 1,
    attemptDir: '/data/runs/run1/train/1',
    stepName: 'Train the model',
    image: 'python:3.12',
    argv: ['python', '-c', 'print("hi; $(rm -rf /)")'],
    env: { MODE: 'fast' },
    secretEnv: [],
    logFile: '/data/runs/run1/train/1/log',
    outputs: [],
    inputArtifacts: {},
    ...overrides,
  };
}

const restrictedContainerSecurity = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  runAsNonRoot: true,
  seccompProfile: { type: 'RuntimeDefault' },
};

describe('buildPod', () => {
  it('builds the whole pod of a plain step', () => {
    const pod = buildPod(makeSpec(), { namespace: 'ml', runVolume: undefined });
    expect(pod).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: podNameFor({ runId: 'run1', stepId: 'train', attempt: 1 }),
        namespace: 'ml',
        labels: {
          'app.kubernetes.io/managed-by': 'pipedeck',
          'pipedeck.dev/run': 'run1',
          'pipedeck.dev/step': 'train',
          'pipedeck.dev/attempt': '1',
        },
        annotations: {
          'pipedeck.dev/run-id': 'run1',
          'pipedeck.dev/step-id': 'train',
          'pipedeck.dev/step-name': 'Train the model',
        },
      },
      spec: {
        restartPolicy: 'Never',
        automountServiceAccountToken: false,
        enableServiceLinks: false,
        securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
        containers: [
          {
            name: 'main',
            image: 'python:3.12',
            command: ['python', '-c', 'print("hi; $(rm -rf /)")'],
            env: [{ name: 'MODE', value: 'fast' }],
            securityContext: restrictedContainerSecurity,
            terminationMessagePath: '/dev/termination-log',
            terminationMessagePolicy: 'FallbackToLogsOnError',
          },
        ],
      },
    });
  });

  it('takes env from secret keys without their values', () => {
    const pod = buildPod(makeSpec({ secretEnv: [{ name: 'TOKEN', secret: { name: 'api-keys', key: 'token' } }] }), { namespace: 'ml', runVolume: undefined });
    expect(pod.spec?.containers[0]?.env).toEqual([
      { name: 'MODE', value: 'fast' },
      { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'api-keys', key: 'token' } } },
    ]);
  });

  it('sets requests, limits and gpus', () => {
    const resources = { requests: { cpu: '500m', memory: '256Mi' }, limits: { cpu: '2', memory: '1Gi', gpu: 1 } };
    const pod = buildPod(makeSpec({ resources }), { namespace: 'ml', runVolume: undefined });
    expect(pod.spec?.containers[0]?.resources).toEqual({
      requests: { cpu: '500m', memory: '256Mi' },
      limits: { cpu: '2', memory: '1Gi', 'nvidia.com/gpu': '1' },
    });
  });

  it('leaves resources out when the step sets none', () => {
    const pod = buildPod(makeSpec({ resources: { requests: {}, limits: {} } }), { namespace: 'ml', runVolume: undefined });
    expect(pod.spec?.containers[0]?.resources).toBeUndefined();
  });

  it('sets activeDeadlineSeconds from the timeout', () => {
    const pod = buildPod(makeSpec({ timeoutSeconds: 90 }), { namespace: 'ml', runVolume: undefined });
    expect(pod.spec?.activeDeadlineSeconds).toBe(90);
  });

  it('sets the working directory', () => {
    const pod = buildPod(makeSpec({ workingDir: '/work' }), { namespace: 'ml', runVolume: undefined });
    expect(pod.spec?.containers[0]?.workingDir).toBe('/work');
  });

  it('runs as the given user', () => {
    const pod = buildPod(makeSpec({ security: { runAsUser: 1001 } }), { namespace: 'ml', runVolume: undefined });
    expect(pod.spec?.containers[0]?.securityContext).toEqual({ ...restrictedContainerSecurity, runAsUser: 1001 });
  });

  it('allows root when the step turns runAsNonRoot off', () => {
    const pod = buildPod(makeSpec({ security: { runAsNonRoot: false } }), { namespace: 'ml', runVolume: undefined });
    expect(pod.spec?.containers[0]?.securityContext).toEqual({ ...restrictedContainerSecurity, runAsNonRoot: false });
  });

  it('allows root for runAsUser 0', () => {
    const pod = buildPod(makeSpec({ security: { runAsUser: 0 } }), { namespace: 'ml', runVolume: undefined });
    expect(pod.spec?.containers[0]?.securityContext?.runAsNonRoot).toBe(false);
    expect(pod.spec?.containers[0]?.securityContext?.runAsUser).toBe(0);
  });

  it('mounts the attempt output directory and upstream artifacts', () => {
    const spec = makeSpec({
      outputs: [{ name: 'model', type: 'artifact' }],
      inputArtifacts: { data: 'pvc://pipedeck-run-run1-abc/prepare/1/data' },
    });
    const pod = buildPod(spec, { namespace: 'ml', runVolume: { claimName: 'pipedeck-run-run1-abc', basePath: '' } });
    expect(pod.spec?.volumes).toEqual([{ name: 'artifacts-0', persistentVolumeClaim: { claimName: 'pipedeck-run-run1-abc' } }]);
    expect(pod.spec?.containers[0]?.volumeMounts).toEqual([
      { name: 'artifacts-0', mountPath: '/pipedeck/artifacts/out', subPath: 'train/1' },
      { name: 'artifacts-0', mountPath: '/pipedeck/artifacts/in/data', subPath: 'prepare/1', readOnly: true },
    ]);
  });

  it('puts a run under its directory on a shared claim', () => {
    const spec = makeSpec({ attempt: 2, outputs: [{ name: 'model', type: 'artifact' }] });
    const pod = buildPod(spec, { namespace: 'ml', runVolume: { claimName: 'shared', basePath: 'pipedeck/runs/run1' } });
    expect(pod.spec?.containers[0]?.volumeMounts).toEqual([{ name: 'artifacts-0', mountPath: '/pipedeck/artifacts/out', subPath: 'pipedeck/runs/run1/train/2' }]);
  });

  it('rejects artifacts when no storage is configured', () => {
    const spec = makeSpec({ outputs: [{ name: 'model', type: 'artifact' }] });
    expect(() => buildPod(spec, { namespace: 'ml', runVolume: undefined })).toThrow(
      'step `train` passes artifacts, but the kubernetes executor has no artifact storage; set PIPEDECK_K8S_STORAGE_CLASS (a volume claim per run) or PIPEDECK_K8S_ARTIFACT_CLAIM (an existing claim)',
    );
  });

  it('rejects an input artifact stored on the host', () => {
    const spec = makeSpec({ inputArtifacts: { data: '/data/runs/run0/prepare/1/outputs/data' } });
    expect(() => buildPod(spec, { namespace: 'ml', runVolume: { claimName: 'c', basePath: '' } })).toThrow(PodSpecError);
  });
});

describe('terminationMessagePathFor', () => {
  it('uses the value output file as the termination message', () => {
    expect(terminationMessagePathFor({ stepId: 's', outputs: [{ name: 'accuracy', type: 'number' }, { name: 'model', type: 'artifact' }] })).toBe(
      '/pipedeck/outputs/accuracy',
    );
  });

  it('uses the Kubernetes default without a value output', () => {
    expect(terminationMessagePathFor({ stepId: 's', outputs: [{ name: 'model', type: 'artifact' }] })).toBe('/dev/termination-log');
  });

  it('rejects two value outputs, naming them', () => {
    const outputs = [
      { name: 'a', type: 'string' as const },
      { name: 'b', type: 'json' as const },
    ];
    expect(() => terminationMessagePathFor({ stepId: 's', outputs })).toThrow(
      'step `s` declares 2 value outputs (a, b), but on Kubernetes a step passes at most one value, through its pod\'s termination message; declare the others as artifacts',
    );
  });
});
