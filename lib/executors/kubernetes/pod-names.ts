/**
 * Names, labels and annotations that tie a pod to its run, step and attempt. They are derived from
 * the ids alone, so a restarted server finds the same pod without any stored state.
 */
import { createHash } from 'node:crypto';

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'pipedeck';
export const RUN_LABEL = 'pipedeck.dev/run';
export const STEP_LABEL = 'pipedeck.dev/step';
export const ATTEMPT_LABEL = 'pipedeck.dev/attempt';

/** Annotations carry the ids unshortened, because label values are cut to 63 characters. */
export const RUN_ANNOTATION = 'pipedeck.dev/run-id';
export const STEP_ANNOTATION = 'pipedeck.dev/step-id';
export const STEP_NAME_ANNOTATION = 'pipedeck.dev/step-name';

/** Selects every pod Pipedeck created. */
export const MANAGED_SELECTOR = `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`;

const MAX_NAME_LENGTH = 63;
const HASH_LENGTH = 10;

/** The ids one pod belongs to. */
export interface PodOwner {
  runId: string;
  stepId: string;
  attempt: number;
}

/**
 * Returns the pod name of an attempt: `<run>-<step>-<attempt>-<hash>`, a DNS-1123 label of at most
 * 63 characters. The run and step parts are readable slugs, shortened when needed; the hash of the
 * full ids keeps names of different attempts apart.
 */
export function podNameFor(owner: PodOwner): string {
  const hash = shortHash(`${owner.runId}/${owner.stepId}/${owner.attempt}`);
  const readable = slugify(`${slugify(owner.runId).slice(0, 8)}-${owner.stepId}-${owner.attempt}`);
  const room = MAX_NAME_LENGTH - HASH_LENGTH - 1;
  const prefix = readable.slice(0, room).replace(/-+$/, '');
  return prefix === '' ? `p-${hash}` : `${prefix}-${hash}`;
}

/** Returns the name of a run's artifact claim when claims are created per run. */
export function runClaimNameFor(runId: string): string {
  const hash = shortHash(runId);
  const prefix = `pipedeck-run-${slugify(runId)}`.slice(0, MAX_NAME_LENGTH - HASH_LENGTH - 1).replace(/-+$/, '');
  return `${prefix}-${hash}`;
}

/** The labels of an attempt's pod. */
export function podLabelsFor(owner: PodOwner): Record<string, string> {
  return {
    [MANAGED_BY_LABEL]: MANAGED_BY_VALUE,
    [RUN_LABEL]: labelValue(owner.runId),
    [STEP_LABEL]: labelValue(owner.stepId),
    [ATTEMPT_LABEL]: String(owner.attempt),
  };
}

/** Selects the pods of one run. */
export function runSelector(runId: string): string {
  return `${MANAGED_SELECTOR},${RUN_LABEL}=${labelValue(runId)}`;
}

/**
 * Reads the owner of a Pipedeck pod from its annotations (or labels, for ids that fit one). Returns
 * undefined for a pod that does not name a run, step and attempt.
 */
export function podOwnerOf(metadata: { labels?: Record<string, string>; annotations?: Record<string, string> } | undefined): PodOwner | undefined {
  const labels = metadata?.labels ?? {};
  const annotations = metadata?.annotations ?? {};
  const runId = annotations[RUN_ANNOTATION] ?? labels[RUN_LABEL];
  const stepId = annotations[STEP_ANNOTATION] ?? labels[STEP_LABEL];
  const attempt = Number(labels[ATTEMPT_LABEL]);
  if (!runId || !stepId || !Number.isInteger(attempt) || attempt < 1) return undefined;
  return { runId, stepId, attempt };
}

/**
 * Makes text a valid label value: at most 63 characters of letters, digits, `-`, `_` and `.`,
 * starting and ending with a letter or digit. Text that had to change gets a hash suffix, so two
 * different ids never share a value.
 */
export function labelValue(text: string): string {
  if (/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(text)) return text;

  const hash = shortHash(text);
  const cleaned = text
    .replace(/[^-A-Za-z0-9_.]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, MAX_NAME_LENGTH - HASH_LENGTH - 1)
    .replace(/[^A-Za-z0-9]+$/, '');
  return cleaned === '' ? hash : `${cleaned}-${hash}`;
}

/** Lower-case letters, digits and single dashes, with no dash at either end. */
function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, HASH_LENGTH);
}
