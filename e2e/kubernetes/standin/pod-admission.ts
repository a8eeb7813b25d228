/**
 * Stand-in for the Kubernetes API, for tests only; the product never imports it.
 *
 * Validation and defaulting of a pod on create, with the checks and messages of kube-apiserver
 * (k8s.io/apimachinery validation) for the fields a pipeline pod uses. Not every rule of the real
 * server is here: fields the stand-in does not know pass unchecked.
 */
import { randomBytes, randomUUID } from 'node:crypto';

import { invalid, type FieldCause } from './api-errors';
import { formatSeconds } from './clock';
import type { Container, PodObject } from './types';

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

const SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MESSAGE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const LABEL_VALUE_MESSAGE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const QUALIFIED_NAME_MESSAGE =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

/** Annotations may hold at most 256 KiB in total. */
const ANNOTATIONS_MAX_BYTES = 256 * 1024;

function invalidValue(field: string, value: unknown, detail: string): FieldCause {
  return { field, reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(value)}: ${detail}` };
}

function required(field: string, detail = ''): FieldCause {
  return { field, reason: 'FieldValueRequired', message: detail ? `Required value: ${detail}` : 'Required value' };
}

function checkLabelKey(field: string, key: string): FieldCause[] {
  const slash = key.lastIndexOf('/');
  const name = slash === -1 ? key : key.slice(slash + 1);
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  const causes: FieldCause[] = [];
  if (name.length > 63) causes.push(invalidValue(field, key, 'name part must be no more than 63 characters'));
  if (!QUALIFIED_NAME.test(name)) causes.push(invalidValue(field, key, QUALIFIED_NAME_MESSAGE));
  if (prefix !== undefined && (!DNS1123_SUBDOMAIN.test(prefix) || prefix.length > 253)) {
    causes.push(invalidValue(field, key, `prefix part ${SUBDOMAIN_MESSAGE}`));
  }
  return causes;
}

function checkMetadata(pod: PodObject): FieldCause[] {
  const causes: FieldCause[] = [];
  const { name, labels = {}, annotations = {} } = pod.metadata;
  if (!name) causes.push(required('metadata.name', 'name or generateName is required'));
  else if (name.length > 253) causes.push(invalidValue('metadata.name', name, 'must be no more than 253 characters'));
  else if (!DNS1123_SUBDOMAIN.test(name)) causes.push(invalidValue('metadata.name', name, SUBDOMAIN_MESSAGE));

  for (const [key, value] of Object.entries(labels)) {
    causes.push(...checkLabelKey('metadata.labels', key));
    if (typeof value !== 'string' || value.length > 63) {
      causes.push(invalidValue('metadata.labels', value, 'must be no more than 63 characters'));
    } else if (!LABEL_VALUE.test(value)) {
      causes.push(invalidValue('metadata.labels', value, LABEL_VALUE_MESSAGE));
    }
  }

  let annotationBytes = 0;
  for (const [key, value] of Object.entries(annotations)) {
    causes.push(...checkLabelKey('metadata.annotations', key));
    annotationBytes += Buffer.byteLength(key) + Buffer.byteLength(String(value));
  }
  if (annotationBytes > ANNOTATIONS_MAX_BYTES) {
    causes.push({
      field: 'metadata.annotations',
      reason: 'FieldValueTooLong',
      message: `Too long: may not be more than ${ANNOTATIONS_MAX_BYTES} bytes`,
    });
  }
  return causes;
}

function checkContainer(container: Container, index: number, names: Set<string>): FieldCause[] {
  const field = `spec.containers[${index}]`;
  const causes: FieldCause[] = [];
  if (!container.name) causes.push(required(`${field}.name`));
  else if (!DNS1123_LABEL.test(container.name) || container.name.length > 63) {
    causes.push(invalidValue(`${field}.name`, container.name, LABEL_MESSAGE));
  } else if (names.has(container.name)) {
    causes.push({ field: `${field}.name`, reason: 'FieldValueInvalid', message: `Duplicate value: "${container.name}"` });
  }
  names.add(container.name);

  if (!container.image) causes.push(required(`${field}.image`));
  for (const [envIndex, variable] of (container.env ?? []).entries()) {
    if (!variable.name) causes.push(required(`${field}.env[${envIndex}].name`));
  }
  const policy = container.terminationMessagePolicy;
  if (policy !== undefined && policy !== 'File' && policy !== 'FallbackToLogsOnError') {
    causes.push({
      field: `${field}.terminationMessagePolicy`,
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: "${String(policy)}": supported values: "File", "FallbackToLogsOnError"`,
    });
  }
  return causes;
}

function checkSpec(pod: PodObject): FieldCause[] {
  const causes: FieldCause[] = [];
  const spec = pod.spec;
  if (!spec || !Array.isArray(spec.containers) || spec.containers.length === 0) {
    return [required('spec.containers')];
  }
  const names = new Set<string>();
  spec.containers.forEach((container, index) => causes.push(...checkContainer(container, index, names)));

  const restartPolicy = spec.restartPolicy;
  if (restartPolicy !== undefined && !['Always', 'OnFailure', 'Never'].includes(restartPolicy)) {
    causes.push({
      field: 'spec.restartPolicy',
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: "${String(restartPolicy)}": supported values: "Always", "OnFailure", "Never"`,
    });
  }
  const deadline = spec.activeDeadlineSeconds;
  if (deadline !== undefined && (!Number.isInteger(deadline) || deadline < 1)) {
    causes.push(invalidValue('spec.activeDeadlineSeconds', deadline, 'must be between 1 and 2147483647, inclusive'));
  }
  return causes;
}

/** The QoS class the API server computes from requests and limits. */
function qosClass(pod: PodObject): string {
  const containers = pod.spec.containers;
  const anySet = containers.some(
    (container) => Object.keys(container.resources?.requests ?? {}).length + Object.keys(container.resources?.limits ?? {}).length > 0,
  );
  if (!anySet) return 'BestEffort';
  const guaranteed = containers.every((container) => {
    const limits = container.resources?.limits ?? {};
    const requests = container.resources?.requests ?? {};
    return ['cpu', 'memory'].every(
      (resource) => limits[resource] !== undefined && (requests[resource] ?? limits[resource]) === limits[resource],
    );
  });
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/**
 * Validates a pod from a create request and returns it with the server's defaults and a fresh
 * uid, Pending status and no resourceVersion yet. Throws a 422 ApiError listing every problem.
 */
export function admitPod(body: PodObject, namespace: string): PodObject {
  const pod = structuredClone(body);
  pod.kind = 'Pod';
  pod.apiVersion = 'v1';
  pod.metadata = { ...(pod.metadata ?? {}) };
  if (!pod.metadata.name && pod.metadata.generateName) {
    pod.metadata.name = `${pod.metadata.generateName}${randomBytes(3).toString('hex').slice(0, 5)}`;
  }

  const causes = [...checkMetadata(pod), ...checkSpec(pod)];
  if (causes.length > 0) throw invalid('Pod', pod.metadata.name ?? '', causes);

  pod.metadata.namespace = namespace;
  pod.metadata.uid = randomUUID();
  pod.metadata.creationTimestamp = formatSeconds();
  pod.metadata.resourceVersion = '';
  delete pod.metadata.deletionTimestamp;
  delete pod.metadata.deletionGracePeriodSeconds;

  pod.spec.restartPolicy ??= 'Always';
  pod.spec.terminationGracePeriodSeconds ??= 30;
  pod.spec.dnsPolicy ??= 'ClusterFirst';
  pod.spec.schedulerName ??= 'default-scheduler';
  pod.spec.serviceAccountName ??= 'default';
  pod.spec.securityContext ??= {};
  for (const container of pod.spec.containers) {
    container.terminationMessagePath ??= '/dev/termination-log';
    container.terminationMessagePolicy ??= 'File';
    const tag = container.image?.split('/').pop()?.split(':')[1];
    container.imagePullPolicy ??= tag === undefined || tag === 'latest' ? 'Always' : 'IfNotPresent';
    container.resources ??= {};
  }
  pod.status = { phase: 'Pending', qosClass: qosClass(pod) };
  return pod;
}
