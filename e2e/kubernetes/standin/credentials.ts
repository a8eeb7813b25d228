/**
 * Stand-in for the Kubernetes API, for tests only; the product never imports it.
 *
 * What a client needs to reach the stand-in: a kubeconfig (context `standin`, bearer token), a
 * self-signed serving certificate when TLS is on, and the service-account files plus environment
 * that in-cluster configuration reads.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { stringify } from 'yaml';

export const STANDIN_CONTEXT = 'standin';

export interface ServingCertificate {
  certPath: string;
  keyPath: string;
}

/**
 * Creates a self-signed certificate for 127.0.0.1 and localhost with `openssl`. The certificate is
 * its own CA, so the kubeconfig's certificate-authority is the certificate file itself.
 */
export function createServingCertificate(dir: string): ServingCertificate {
  const certPath = path.join(dir, 'standin-ca.crt');
  const keyPath = path.join(dir, 'standin.key');
  execFileSync(
    'openssl',
    [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes',
      '-keyout', keyPath, '-out', certPath,
      '-days', '2', '-subj', '/CN=standin-apiserver',
      '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-addext', 'basicConstraints=critical,CA:TRUE',
    ],
    { stdio: 'ignore' },
  );
  return { certPath, keyPath };
}

export interface KubeconfigInput {
  server: string;
  token: string;
  namespace: string;
  caCertPath?: string;
}

/**
 * Writes `<dir>/kubeconfig` with one cluster, user and context named `standin`; returns its path.
 * For a plain-HTTP stand-in the cluster sets `insecure-skip-tls-verify: true`, because
 * @kubernetes/client-node 1.4 refuses an `http:` server without it.
 */
export function writeKubeconfigFile(dir: string, input: KubeconfigInput): string {
  fs.mkdirSync(dir, { recursive: true });
  const cluster = input.caCertPath
    ? { server: input.server, 'certificate-authority': input.caCertPath }
    : { server: input.server, 'insecure-skip-tls-verify': true };
  const kubeconfig = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: STANDIN_CONTEXT, cluster }],
    users: [{ name: STANDIN_CONTEXT, user: { token: input.token } }],
    contexts: [{ name: STANDIN_CONTEXT, context: { cluster: STANDIN_CONTEXT, user: STANDIN_CONTEXT, namespace: input.namespace } }],
    'current-context': STANDIN_CONTEXT,
  };
  const file = path.join(dir, 'kubeconfig');
  fs.writeFileSync(file, stringify(kubeconfig), { mode: 0o600 });
  return file;
}

/** The files and variables @kubernetes/client-node's `loadFromCluster(pathPrefix)` reads. */
export interface ServiceAccountFiles {
  /** Pass as `pathPrefix`: the files are under `<pathPrefix>/var/run/secrets/kubernetes.io/serviceaccount`. */
  pathPrefix: string;
  /** The service-account directory itself (token, ca.crt, namespace). */
  directory: string;
  /** KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT for the process under test. */
  env: Record<string, string>;
}

export function writeServiceAccountFilesTo(dir: string, input: KubeconfigInput & { port: number }): ServiceAccountFiles {
  if (!input.caCertPath) throw new Error('in-cluster configuration needs the stand-in started with { tls: true }');
  const directory = path.join(dir, 'var', 'run', 'secrets', 'kubernetes.io', 'serviceaccount');
  fs.mkdirSync(directory, { recursive: true });
  fs.writeFileSync(path.join(directory, 'token'), input.token, { mode: 0o600 });
  fs.copyFileSync(input.caCertPath, path.join(directory, 'ca.crt'));
  fs.writeFileSync(path.join(directory, 'namespace'), input.namespace);
  return {
    pathPrefix: dir,
    directory,
    env: { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: String(input.port) },
  };
}
