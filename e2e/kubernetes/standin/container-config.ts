/**
 * Stand-in for the Kubernetes API, for tests only; the product never imports it.
 *
 * What the kubelet checks and computes before it creates a container: environment variables
 * (values, `$(VAR)` references, secret keys, pod fields) and the runAsNonRoot check. A problem is
 * returned as the message a real kubelet puts in a CreateContainerConfigError waiting state.
 */
import type { ImageUser } from './faults';
import type { Container, EnvVar, PodObject } from './types';

/** Secrets preloaded by the test, by namespace and name: key → plain-text value. */
export type SecretStore = Map<string, Record<string, string>>;

export function secretKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/**
 * Expands `$(NAME)` from `variables` the way the kubelet expands command, args and env values:
 * `$$` is a literal `$`, and a reference to an undefined name stays as written.
 */
export function expandReferences(text: string, variables: Record<string, string>): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (whole, name: string | undefined) => {
    if (whole === '$$') return '$';
    return name !== undefined && name in variables ? (variables[name] as string) : whole;
  });
}

function podFieldValue(pod: PodObject, fieldPath: string): string | undefined {
  const keyed = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(fieldPath);
  if (keyed) {
    const map = keyed[1] === 'labels' ? pod.metadata.labels : pod.metadata.annotations;
    return map?.[keyed[2] ?? ''] ?? '';
  }
  const fields: Record<string, string | undefined> = {
    'metadata.name': pod.metadata.name,
    'metadata.namespace': pod.metadata.namespace,
    'metadata.uid': pod.metadata.uid,
    'spec.nodeName': pod.spec.nodeName,
    'spec.serviceAccountName': pod.spec.serviceAccountName as string | undefined,
    'status.hostIP': pod.status.hostIP,
    'status.podIP': pod.status.podIP,
  };
  return fields[fieldPath];
}

function resolveVariable(pod: PodObject, variable: EnvVar, resolved: Record<string, string>, secrets: SecretStore): string | { error: string } | undefined {
  if (variable.valueFrom === undefined) return expandReferences(variable.value ?? '', resolved);

  const { secretKeyRef, configMapKeyRef, fieldRef } = variable.valueFrom;
  if (secretKeyRef) {
    const namespace = pod.metadata.namespace;
    const secret = secrets.get(secretKey(namespace, secretKeyRef.name));
    if (!secret) return secretKeyRef.optional ? undefined : { error: `secret "${secretKeyRef.name}" not found` };
    const value = secret[secretKeyRef.key];
    if (value === undefined) {
      return secretKeyRef.optional ? undefined : { error: `couldn't find key ${secretKeyRef.key} in Secret ${namespace}/${secretKeyRef.name}` };
    }
    return value;
  }
  if (configMapKeyRef) {
    // NOTE: the stand-in serves no ConfigMaps, so every reference to one is missing.
    return configMapKeyRef.optional ? undefined : { error: `configmap "${configMapKeyRef.name}" not found` };
  }
  if (fieldRef) return podFieldValue(pod, fieldRef.fieldPath) ?? '';
  return undefined;
}

/** The container's environment in spec order, or the CreateContainerConfigError message. */
export function resolveContainerEnv(pod: PodObject, container: Container, secrets: SecretStore): { env: Record<string, string> } | { error: string } {
  const resolved: Record<string, string> = {};
  for (const variable of container.env ?? []) {
    const value = resolveVariable(pod, variable, resolved, secrets);
    if (typeof value === 'object') return value;
    if (value !== undefined) resolved[variable.name] = value;
  }
  return { env: resolved };
}

/** `name_namespace(uid)`, the way the kubelet names a pod in its messages. */
export function describePod(pod: PodObject): string {
  return `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
}

/**
 * The kubelet's runAsNonRoot check: returns the error message when the container must not start,
 * judged from the effective runAsUser or else the user the image declares.
 */
export function checkRunAsNonRoot(pod: PodObject, container: Container, imageUser: ImageUser): string | undefined {
  const podContext = pod.spec.securityContext ?? {};
  const containerContext = container.securityContext ?? {};
  const runAsNonRoot = containerContext.runAsNonRoot ?? podContext.runAsNonRoot;
  if (runAsNonRoot !== true) return undefined;

  const where = `(pod: "${describePod(pod)}", container: ${container.name})`;
  const runAsUser = containerContext.runAsUser ?? podContext.runAsUser;
  if (runAsUser !== undefined) {
    return runAsUser === 0 ? `container's runAsUser breaks non-root policy ${where}` : undefined;
  }
  if (imageUser === 'root' || imageUser === 0 || imageUser === '0') {
    return `container has runAsNonRoot and image will run as root ${where}`;
  }
  if (typeof imageUser === 'string' && !/^\d+$/.test(imageUser)) {
    return `container has runAsNonRoot and image has non-numeric user (${imageUser}), cannot verify user is non-root ${where}`;
  }
  return undefined;
}

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const IMAGE_REFERENCE = new RegExp(
  `^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?/)?` +
    `${PATH_COMPONENT}(?:/${PATH_COMPONENT})*` +
    '(?::[\\w][\\w.-]{0,127})?' +
    '(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$',
);

/** Whether `image` parses as a reference by the grammar of the distribution/reference package; else InvalidImageName. */
export function isValidImageReference(image: string): boolean {
  return image.length <= 255 && IMAGE_REFERENCE.test(image);
}
