/**
 * The zod shape check of a pipeline, with errors turned into validation issues that name the field
 * path and, when known, the step id.
 */
import type { z } from 'zod';

import type { ValidationIssue } from './issues';
import { pipelineSchema, type Pipeline } from './schema';

/**
 * Checks the shape with zod only, filling defaults, so a draft with unbound inputs or a cycle can
 * still be loaded for editing. Shape errors are reported as by `parsePipeline`.
 */
export function parsePipelineShape(input: unknown): { ok: true; pipeline: Pipeline } | { ok: false; issues: ValidationIssue[] } {
  const parsed = pipelineSchema.safeParse(input);
  if (!parsed.success) return { ok: false, issues: parsed.error.issues.map((issue) => shapeIssue(input, issue)) };
  return { ok: true, pipeline: parsed.data };
}

function shapeIssue(input: unknown, issue: z.core.$ZodIssue): ValidationIssue {
  const field = formatPath(issue.path);
  const stepId = stepIdAt(input, issue.path);
  const where = `\`${field || 'pipeline'}\`` + (stepId === undefined ? '' : ` (step \`${stepId}\`)`);
  const missing = issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined;
  const reason = missing ? ' is missing; add it' : `: ${issue.message}`;
  return { code: 'invalid_field', ...(stepId === undefined ? {} : { stepId }), field, message: `${where}${reason}` };
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** Formats a zod path as `steps[2].inputs[0].name`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text;
}

function stepIdAt(input: unknown, path: readonly PropertyKey[]): string | undefined {
  if (path[0] !== 'steps' || typeof path[1] !== 'number') return undefined;
  const steps = (input as { steps?: unknown } | null)?.steps;
  if (!Array.isArray(steps)) return undefined;
  const id = (steps[path[1]] as { id?: unknown } | null | undefined)?.id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}
