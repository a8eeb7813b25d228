/**
 * Pure edits and checks of a step's limits and security: `timeoutSeconds`, `resources` and
 * `security`. Edits drop emptied objects, so a step without limits saves without those keys.
 */
import type { ValidationIssue } from '@/lib/pipeline/issues';
import { resourcesSchema, stepSchema, stepSecuritySchema, type Resources, type Step, type StepSecurity } from '@/lib/pipeline/schema';

import type { StepPatch } from './step-edits';

/** A text field of the "Limits and security" section, named by its path inside the step. */
export type LimitField =
  | 'timeoutSeconds'
  | 'resources.requests.cpu'
  | 'resources.limits.cpu'
  | 'resources.requests.memory'
  | 'resources.limits.memory'
  | 'resources.limits.gpu'
  | 'security.runAsUser';

const INTEGER_FIELDS: ReadonlySet<LimitField> = new Set(['timeoutSeconds', 'resources.limits.gpu', 'security.runAsUser']);

/** What each integer field accepts, in the words shown when a value is outside it. */
const INTEGER_RULES: Partial<Record<LimitField, string>> = {
  timeoutSeconds: 'must be a whole number of seconds from 1 to 604800 (7 days)',
  'resources.limits.gpu': 'must be a whole number of GPUs from 0 to 64',
  'security.runAsUser': 'must be a whole-number user id from 0 to 2147483647',
};

/** Returns the field's current value as the text a form shows; empty when unset. */
export function limitText(step: Step, field: LimitField): string {
  const value = readLimit(step, field);
  return value === undefined ? '' : String(value);
}

function readLimit(step: Step, field: LimitField): string | number | undefined {
  switch (field) {
    case 'timeoutSeconds':
      return step.timeoutSeconds;
    case 'resources.requests.cpu':
      return step.resources?.requests?.cpu;
    case 'resources.limits.cpu':
      return step.resources?.limits?.cpu;
    case 'resources.requests.memory':
      return step.resources?.requests?.memory;
    case 'resources.limits.memory':
      return step.resources?.limits?.memory;
    case 'resources.limits.gpu':
      return step.resources?.limits?.gpu;
    case 'security.runAsUser':
      return step.security?.runAsUser;
  }
}

/** The result of typing into a limit field: the step patch to apply, or why the text is no number. */
export type LimitEdit = { ok: true; patch: StepPatch } | { ok: false; message: string };

/**
 * Turns the text typed into `field` into a step patch. Empty text removes the value. Quantities are
 * stored as typed (trimmed) and numbers as numbers, even when the schema rejects them, so the edit
 * is kept and `limitIssues` reports it. Text that is no number at all cannot be stored in an integer
 * field and is returned as an error instead.
 */
export function editLimit(step: Step, field: LimitField, text: string): LimitEdit {
  const trimmed = text.trim();
  let value: string | number | undefined = trimmed === '' ? undefined : trimmed;
  if (value !== undefined && INTEGER_FIELDS.has(field)) {
    if (!/^[-+]?[0-9]+(\.[0-9]+)?$/.test(trimmed)) return { ok: false, message: INTEGER_RULES[field] ?? 'must be a whole number' };
    value = Number(trimmed);
  }

  if (field === 'timeoutSeconds') return { ok: true, patch: { timeoutSeconds: value as number | undefined } };
  if (field === 'security.runAsUser') {
    return { ok: true, patch: { security: pruneSecurity({ ...step.security, runAsUser: value as number | undefined }) } };
  }

  const requests = { ...step.resources?.requests };
  const limits = { ...step.resources?.limits };
  if (field === 'resources.requests.cpu') requests.cpu = value as string | undefined;
  if (field === 'resources.requests.memory') requests.memory = value as string | undefined;
  if (field === 'resources.limits.cpu') limits.cpu = value as string | undefined;
  if (field === 'resources.limits.memory') limits.memory = value as string | undefined;
  if (field === 'resources.limits.gpu') limits.gpu = value as number | undefined;
  return { ok: true, patch: { resources: pruneResources({ requests, limits }) } };
}

/**
 * Sets "run as non-root". Checked is the default (an unset `runAsNonRoot` means true), so checking
 * the box removes the key rather than storing `true`.
 */
export function editRunAsNonRoot(step: Step, checked: boolean): StepPatch {
  return { security: pruneSecurity({ ...step.security, runAsNonRoot: checked ? undefined : false }) };
}

/** Whether the step's container must run as a non-root user; unset means yes. */
export function runsAsNonRoot(step: Step): boolean {
  return step.security?.runAsNonRoot !== false;
}

function withoutUndefined<T extends object>(item: T): T {
  return Object.fromEntries(Object.entries(item).filter(([, value]) => value !== undefined)) as T;
}

function pruneResources(resources: Resources): Resources | undefined {
  const requests = withoutUndefined(resources.requests ?? {});
  const limits = withoutUndefined(resources.limits ?? {});
  const pruned: Resources = {};
  if (Object.keys(requests).length > 0) pruned.requests = requests;
  if (Object.keys(limits).length > 0) pruned.limits = limits;
  return Object.keys(pruned).length > 0 ? pruned : undefined;
}

function pruneSecurity(security: StepSecurity): StepSecurity | undefined {
  const pruned = withoutUndefined(security);
  return Object.keys(pruned).length > 0 ? pruned : undefined;
}

/**
 * Checks a step's limits and security with the pipeline schema, one `invalid_field` issue per bad
 * value, with `field` set to the value's path inside the step (e.g. `resources.limits.memory`).
 * `validatePipeline` checks no shape, so without these the editor would let a bad value reach the
 * server and fail only there.
 */
export function limitIssues(step: Step): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const report = (field: LimitField, rule: string) =>
    issues.push({ code: 'invalid_field', stepId: step.id, field, message: `step \`${step.id}\`: ${field} ${rule}` });

  if (step.timeoutSeconds !== undefined && !stepSchema.shape.timeoutSeconds.safeParse(step.timeoutSeconds).success) {
    report('timeoutSeconds', INTEGER_RULES.timeoutSeconds!);
  }

  const resources = resourcesSchema.safeParse(step.resources ?? {});
  for (const problem of resources.success ? [] : resources.error.issues) {
    const field = `resources.${problem.path.join('.')}` as LimitField;
    report(field, INTEGER_RULES[field] ?? problem.message);
  }

  if (step.security?.runAsUser !== undefined && !stepSecuritySchema.safeParse({ runAsUser: step.security.runAsUser }).success) {
    report('security.runAsUser', INTEGER_RULES['security.runAsUser']!);
  }
  return issues;
}
