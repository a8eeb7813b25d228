/**
 * Checks the manifests in deploy/ without a cluster: every file parses, the Role grants exactly what
 * the kubernetes executor needs, and the Deployment runs the server locked down, with probes on
 * /api/health and settings that Pipedeck's own configuration parsers accept. The Dockerfile copies
 * files that exist and runs as the same user.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

import { parseKubernetesSettings } from '../../../lib/executors/kubernetes/settings';
import { parseConfig } from '../../../lib/server/config';
import { checkStartOptions } from '../../../scripts/start.mjs';

const DEPLOY_DIR = path.resolve(import.meta.dirname, '../../../deploy');
const NAMESPACE = 'pipedeck';

/** The fields of a parsed manifest these checks read; anything else stays `unknown`. */
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: unknown;
}

interface Container {
  ports: { name: string; containerPort: number }[];
  env: EnvVar[];
  securityContext: unknown;
  resources: unknown;
  startupProbe?: { httpGet?: unknown };
  readinessProbe?: { httpGet?: unknown };
  livenessProbe?: { httpGet?: unknown };
  volumeMounts: { name: string; mountPath: string }[];
}

interface PodSpec {
  serviceAccountName: string;
  securityContext: { runAsNonRoot?: boolean; runAsUser?: number; runAsGroup?: number; seccompProfile?: unknown };
  hostNetwork?: boolean;
  hostPID?: boolean;
  containers: Container[];
  volumes: { name: string; persistentVolumeClaim?: unknown; emptyDir?: unknown }[];
}

interface DeploymentManifest extends Manifest {
  spec: {
    replicas: number;
    strategy: unknown;
    selector: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
  };
}

interface ServiceManifest extends Manifest {
  spec: { selector: Record<string, string>; ports: unknown[] };
}

interface ManifestFile {
  file: string;
  documents: Manifest[];
}

function readManifestFiles(): ManifestFile[] {
  const files = fs.readdirSync(DEPLOY_DIR).filter((file) => file.endsWith('.yaml')).sort();
  return files.map((file) => {
    const text = fs.readFileSync(path.join(DEPLOY_DIR, file), 'utf8');
    const documents = parseAllDocuments(text);
    for (const document of documents) {
      if (document.errors.length > 0) throw new Error(`${file}: ${document.errors.map((error) => error.message).join('; ')}`);
    }
    return { file, documents: documents.map((document) => document.toJS() as Manifest) };
  });
}

const manifestFiles = readManifestFiles();
const kustomization = manifestFiles.find((entry) => entry.file === 'kustomization.yaml')?.documents[0] as
  | { namespace?: string; resources?: string[] }
  | undefined;
const resources = manifestFiles.filter((entry) => entry.file !== 'kustomization.yaml').flatMap((entry) => entry.documents);

function findResource<T extends Manifest = Manifest>(kind: string, name: string): T {
  const matches = resources.filter((resource) => resource.kind === kind && resource.metadata?.name === name);
  if (matches.length !== 1) throw new Error(`expected one ${kind} named ${name} in deploy/, found ${matches.length}`);
  return matches[0] as T;
}

const deployment = findResource<DeploymentManifest>('Deployment', 'pipedeck');
const podSpec = deployment.spec.template.spec;
const container = podSpec.containers[0] as Container;
const containerEnv = container.env;

function envValue(name: string): string | undefined {
  return containerEnv.find((entry) => entry.name === name)?.value;
}

describe('deploy/ manifest files', () => {
  it('parses every file', () => {
    expect(manifestFiles.map((entry) => entry.file)).toEqual([
      'data-pvc.yaml',
      'deployment.yaml',
      'kustomization.yaml',
      'namespace.yaml',
      'role.yaml',
      'rolebinding.yaml',
      'service.yaml',
      'serviceaccount.yaml',
    ]);
    for (const entry of manifestFiles) expect(entry.documents.length, entry.file).toBe(1);
  });

  it('lists every manifest in kustomization.yaml', () => {
    const listed = [...(kustomization?.resources ?? [])].sort();
    const onDisk = manifestFiles.map((entry) => entry.file).filter((file) => file !== 'kustomization.yaml');
    expect(listed).toEqual(onDisk);
    expect(kustomization?.namespace).toBe(NAMESPACE);
  });

  it('puts every namespaced resource in the pipedeck namespace', () => {
    for (const resource of resources) {
      if (resource.kind === 'Namespace') {
        expect(resource.metadata.name).toBe(NAMESPACE);
      } else {
        expect(resource.metadata.namespace, `${resource.kind}/${resource.metadata.name}`).toBe(NAMESPACE);
      }
    }
  });
});

describe('deploy/ RBAC', () => {
  const role = findResource<Manifest & { rules: PolicyRule[] }>('Role', 'pipedeck');

  it('grants exactly the executor rules', () => {
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['pods'], verbs: ['create', 'get', 'list', 'watch', 'delete', 'deletecollection'] },
      { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
      { apiGroups: [''], resources: ['events'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ['create', 'get', 'delete'] },
    ]);
  });

  it('uses no wildcard and no resource names', () => {
    for (const rule of role.rules) {
      expect(rule.apiGroups, JSON.stringify(rule)).not.toContain('*');
      expect(rule.resources, JSON.stringify(rule)).not.toContain('*');
      expect(rule.verbs, JSON.stringify(rule)).not.toContain('*');
      expect(rule.resourceNames).toBeUndefined();
      expect(rule.nonResourceURLs).toBeUndefined();
    }
  });

  it('grants nothing cluster-wide', () => {
    const clusterKinds = resources.filter((resource) => resource.kind === 'ClusterRole' || resource.kind === 'ClusterRoleBinding');
    expect(clusterKinds).toEqual([]);
  });

  it('binds the Role to the server service account', () => {
    const binding = findResource<Manifest & { roleRef: unknown; subjects: unknown }>('RoleBinding', 'pipedeck');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pipedeck' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'pipedeck', namespace: NAMESPACE }]);
    expect(findResource('ServiceAccount', 'pipedeck').metadata.namespace).toBe(NAMESPACE);
    expect(podSpec.serviceAccountName).toBe('pipedeck');
  });
});

describe('deploy/ Deployment', () => {
  it('runs one replica, replaced by recreate', () => {
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
    expect(podSpec.containers).toHaveLength(1);
  });

  it('runs the pod as a non-root user with seccomp', () => {
    expect(podSpec.securityContext.runAsNonRoot).toBe(true);
    expect(podSpec.securityContext.runAsUser).toBe(1000);
    expect(podSpec.securityContext.runAsGroup).toBe(1000);
    expect(podSpec.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(podSpec.hostNetwork).toBeUndefined();
    expect(podSpec.hostPID).toBeUndefined();
  });

  it('restricts the container security context', () => {
    expect(container.securityContext).toEqual({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  it('probes /api/health on the http port', () => {
    const httpPort = container.ports.find((port) => port.name === 'http');
    expect(httpPort?.containerPort).toBe(3000);
    expect(container.startupProbe?.httpGet).toEqual({ path: '/api/health', port: 'http' });
    expect(container.readinessProbe?.httpGet).toEqual({ path: '/api/health', port: 'http' });
    expect(container.livenessProbe?.httpGet).toEqual({ path: '/api/health', port: 'http' });
  });

  it('sets resource requests and limits', () => {
    expect(container.resources).toEqual({
      requests: { cpu: '250m', memory: '384Mi' },
      limits: { cpu: '1', memory: '1Gi' },
    });
  });

  it('takes the token from a Secret', () => {
    const token = containerEnv.find((entry) => entry.name === 'PIPEDECK_TOKEN');
    expect(token).toEqual({ name: 'PIPEDECK_TOKEN', valueFrom: { secretKeyRef: { name: 'pipedeck-token', key: 'token' } } });
  });

  it('sets the executor, bind address and allowed hosts', () => {
    expect(envValue('PIPEDECK_EXECUTOR')).toBe('kubernetes');
    expect(envValue('HOSTNAME')).toBe('0.0.0.0');
    expect(envValue('PORT')).toBe('3000');
    expect(envValue('PIPEDECK_ALLOWED_HOSTS')?.split(',')).toEqual([
      'pipedeck',
      'pipedeck.pipedeck',
      'pipedeck.pipedeck.svc',
      'pipedeck.pipedeck.svc.cluster.local',
    ]);
    const namespace = containerEnv.find((entry) => entry.name === 'PIPEDECK_NAMESPACE');
    expect(namespace?.valueFrom).toEqual({ fieldRef: { fieldPath: 'metadata.namespace' } });
  });

  it('passes the server and executor configuration checks', () => {
    // Values from Secrets and the downward API stand in for what the kubelet fills in.
    const env: Record<string, string> = { PIPEDECK_TOKEN: 'a'.repeat(64), PIPEDECK_NAMESPACE: NAMESPACE };
    for (const entry of containerEnv) if (entry.value !== undefined) env[entry.name] = entry.value;

    const config = parseConfig(env, '/app');
    expect(config.executor).toBe('kubernetes');
    expect(config.hostname).toBe('0.0.0.0');
    expect(config.port).toBe(3000);
    expect(config.dataDir).toBe('/data');
    expect(config.allowedHosts).toHaveLength(4);
    expect(parseKubernetesSettings(env).namespace).toBe(NAMESPACE);
    expect(checkStartOptions(env)).toEqual({ ok: true, hostname: '0.0.0.0', port: 3000 });

    const withoutToken = { ...env };
    delete withoutToken.PIPEDECK_TOKEN;
    expect(checkStartOptions(withoutToken).ok).toBe(false);
  });

  it('writes only to mounted volumes', () => {
    const mounts = Object.fromEntries(container.volumeMounts.map((mount) => [mount.mountPath, mount.name]));
    const volumes = Object.fromEntries(podSpec.volumes.map((volume) => [volume.name, volume]));

    expect(Object.keys(mounts).sort()).toEqual(['/app/.next/cache', '/data', '/tmp']);
    expect(mounts[envValue('PIPEDECK_DATA_DIR') ?? '']).toBe('data');
    expect(volumes.data?.persistentVolumeClaim).toEqual({ claimName: 'pipedeck-data' });
    expect(volumes[mounts['/tmp'] ?? '']?.emptyDir).toBeDefined();
    expect(volumes[mounts['/app/.next/cache'] ?? '']?.emptyDir).toBeDefined();
    const dataClaim = findResource<Manifest & { spec: { accessModes: string[] } }>('PersistentVolumeClaim', 'pipedeck-data');
    expect(dataClaim.spec.accessModes).toEqual(['ReadWriteOnce']);
  });

  it('is selected by the Service on the http port', () => {
    const service = findResource<ServiceManifest>('Service', 'pipedeck');
    const podLabels = deployment.spec.template.metadata.labels;
    for (const [key, value] of Object.entries(service.spec.selector)) {
      expect(podLabels[key], key).toBe(value);
    }
    expect(deployment.spec.selector.matchLabels).toEqual(service.spec.selector);
    expect(service.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }]);
  });
});

describe('Dockerfile', () => {
  const dockerfile = fs.readFileSync(path.resolve(DEPLOY_DIR, '..', 'Dockerfile'), 'utf8');

  it('copies files that exist in the repository', () => {
    const sources = [...dockerfile.matchAll(/^COPY --from=build \/src\/(\S+) /gm)].map((match) => match[1] as string);
    const fromRepository = sources.filter((source) => !source.startsWith('.next/') && source !== 'public');
    expect(fromRepository).toEqual([
      'lib/executors/process/supervisor.mjs',
      'examples',
      'scripts/start.mjs',
      'deploy/start-standalone.mjs',
    ]);
    for (const source of fromRepository) {
      expect(fs.existsSync(path.resolve(DEPLOY_DIR, '..', source)), source).toBe(true);
    }
  });

  it('runs as the Deployment user', () => {
    expect(dockerfile).toMatch(/^USER 1000:1000$/m);
    expect(podSpec.securityContext.runAsUser).toBe(1000);
    expect(dockerfile).toMatch(/^CMD \["node", "start-standalone.mjs"\]$/m);
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:20-bookworm-slim$/m);
  });
});
