/**
 * The native pipeline file: YAML with `apiVersion: pipedeck/v1` and `kind: Pipeline`, then the
 * pipeline. It is the export of record and the file people keep in git, so the writer is canonical:
 * keys in schema order, empty lists and unset fields left out, canvas positions included, no line
 * folding. Reading then writing canonical text returns the same text.
 */
import { LineCounter, parseDocument, stringify, type Document } from 'yaml';

import type { ValidationIssue } from '../pipeline/issues';
import {
  inputPortSchema,
  outputPortSchema,
  pipelineParameterSchema,
  pipelineSchema,
  stepSchema,
  isSecretEnvVar,
  isConstantSource,
  isParameterSource,
  isStepOutputSource,
  type EnvVar,
  type InputPort,
  type Resources,
  type InputSource,
  type Pipeline,
  type Step,
} from '../pipeline/schema';
import { parsePipeline, parsePipelineShape } from '../pipeline/validate';

export const NATIVE_API_VERSION = 'pipedeck/v1';
export const NATIVE_KIND = 'Pipeline';

/** Largest file `fromNativeYaml` reads, in UTF-8 bytes. */
export const MAX_NATIVE_YAML_BYTES = 1024 * 1024;

/**
 * Limit passed to the yaml package's `maxAliasCount`: roughly the number of alias uses, each
 * weighted by the aliases inside the anchored value. Hand-written pipelines rarely use anchors,
 * while a "billion laughs" file needs millions of expansions and so fails early.
 */
export const MAX_YAML_ALIASES = 100;

/** Options for `fromNativeYaml`. */
export interface NativeReadOptions {
  /**
   * Run `validatePipeline` too (default true). With false, only the shape is checked, so a draft
   * with unbound inputs or a cycle still opens in the editor for fixing.
   */
  validate?: boolean;
}

/** Writes a pipeline as canonical native YAML. */
export function toNativeYaml(pipeline: Pipeline): string {
  const document = {
    apiVersion: NATIVE_API_VERSION,
    kind: NATIVE_KIND,
    name: pipeline.name,
    ...(pipeline.description === '' ? {} : { description: pipeline.description }),
    ...nonEmpty('parameters', pipeline.parameters.map((parameter) => pick(parameter, ['name', 'type', 'default', 'description']))),
    steps: pipeline.steps.map(stepToDocument),
  };
  return stringify(document, { lineWidth: 0, aliasDuplicateObjects: false });
}

/**
 * Reads native YAML. Returns every problem found, each with a line number where one is known,
 * and warnings for fields this version does not know (they are dropped).
 */
export function fromNativeYaml(
  text: string,
  options: NativeReadOptions = {},
): { ok: true; pipeline: Pipeline; warnings: string[] } | { ok: false; issues: ValidationIssue[] } {
  // Each character is at least one UTF-8 byte, so an over-long string fails before it is encoded.
  if (text.length > MAX_NATIVE_YAML_BYTES || new TextEncoder().encode(text).length > MAX_NATIVE_YAML_BYTES) {
    return failure('too_large', `the file is larger than ${MAX_NATIVE_YAML_BYTES} bytes (1 MiB); split the pipeline or remove unused steps`);
  }

  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true, stringKeys: true });
  if (document.errors.length > 0) {
    return {
      ok: false,
      issues: document.errors.map((error) => {
        const position = error.linePos?.[0];
        const reason =
          error.code === 'MULTIPLE_DOCS'
            ? 'the file contains more than one YAML document; keep one pipeline per file'
            : error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
        const where = position ? `line ${position.line}, column ${position.col}: ` : '';
        return { code: 'invalid_yaml' as const, message: `${where}${reason}` };
      }),
    };
  }

  let root: unknown;
  try {
    root = document.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (error) {
    if (error instanceof ReferenceError) {
      return failure('invalid_yaml', `the file expands YAML aliases more than ${MAX_YAML_ALIASES} times; write the repeated parts out or remove the anchors`);
    }
    throw error;
  }

  if (root === null || typeof root !== 'object' || Array.isArray(root)) {
    return failure('invalid_yaml', `the file must be a YAML mapping starting with \`apiVersion: ${NATIVE_API_VERSION}\` and \`kind: ${NATIVE_KIND}\``);
  }
  const { apiVersion, kind, ...body } = root as Record<string, unknown>;
  const formatIssues: ValidationIssue[] = [];
  if (apiVersion !== NATIVE_API_VERSION) {
    const found = apiVersion === undefined ? 'is missing' : `is ${JSON.stringify(apiVersion)}`;
    formatIssues.push({ code: 'unsupported_format', field: 'apiVersion', message: `apiVersion ${found}; a native pipeline file needs \`apiVersion: ${NATIVE_API_VERSION}\`` });
  }
  if (kind !== NATIVE_KIND) {
    const found = kind === undefined ? 'is missing' : `is ${JSON.stringify(kind)}`;
    formatIssues.push({ code: 'unsupported_format', field: 'kind', message: `kind ${found}; a native pipeline file needs \`kind: ${NATIVE_KIND}\`` });
  }
  if (formatIssues.length > 0) return { ok: false, issues: formatIssues };

  const result = options.validate === false ? parsePipelineShape(body) : parsePipeline(body);
  if (!result.ok) return { ok: false, issues: result.issues.map((issue) => withLine(issue, body, document, lineCounter)) };
  return { ok: true, pipeline: result.pipeline, warnings: unknownFieldWarnings(body) };
}

function stepToDocument(step: Step): Record<string, unknown> {
  return {
    ...pick(step, ['id', 'name', 'kind', 'image', 'command']),
    ...nonEmpty('args', step.args),
    ...nonEmpty('env', step.env.map(envToDocument)),
    ...pick(step, ['workingDir']),
    ...(step.resources ? { resources: resourcesToDocument(step.resources) } : {}),
    ...pick(step, ['timeoutSeconds']),
    ...(step.security ? { security: pick(step.security, ['runAsNonRoot', 'runAsUser']) } : {}),
    ...nonEmpty('inputs', step.inputs.map(inputToDocument)),
    ...nonEmpty('outputs', step.outputs.map((output) => pick(output, ['name', 'type', 'description']))),
    ...nonEmpty('dependsOn', step.dependsOn),
    position: pick(step.position, ['x', 'y']),
  };
}

function envToDocument(variable: EnvVar): Record<string, unknown> {
  return isSecretEnvVar(variable)
    ? { name: variable.name, secret: pick(variable.secret, ['name', 'key']) }
    : pick(variable, ['name', 'value']);
}

function resourcesToDocument(resources: Resources): Record<string, unknown> {
  return {
    ...(resources.requests ? { requests: pick(resources.requests, ['cpu', 'memory']) } : {}),
    ...(resources.limits ? { limits: pick(resources.limits, ['cpu', 'memory', 'gpu']) } : {}),
  };
}

function inputToDocument(input: InputPort): Record<string, unknown> {
  return { ...pick(input, ['name', 'type', 'default', 'optional', 'description']), ...sourceToDocument(input.from) };
}

/** Writes a binding with its keys in a fixed order, whatever order the editor built them in. */
function sourceToDocument(source: InputSource | undefined): { from?: Record<string, unknown> } {
  if (isStepOutputSource(source)) return { from: { step: source.step, output: source.output } };
  if (isParameterSource(source)) return { from: { parameter: source.parameter } };
  if (isConstantSource(source)) return { from: { value: source.value } };
  return {};
}

/** Copies the listed keys in the listed order, leaving out undefined values. */
function pick<T extends object, K extends keyof T>(source: T, keys: K[]): Partial<Pick<T, K>> {
  const copy: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) copy[key] = source[key];
  return copy;
}

function nonEmpty<K extends string, V>(key: K, list: V[]): { [P in K]?: V[] } {
  return (list.length === 0 ? {} : { [key]: list }) as { [P in K]?: V[] };
}

function failure(code: ValidationIssue['code'], message: string): { ok: false; issues: ValidationIssue[] } {
  return { ok: false, issues: [{ code, message }] };
}

/** Appends the line of the offending value, found by the issue's field path, to its message. */
function withLine(issue: ValidationIssue, body: Record<string, unknown>, document: Document, lineCounter: LineCounter): ValidationIssue {
  let path = issue.field === undefined ? [] : fieldToPath(issue.field);
  if (issue.stepId !== undefined && path[0] !== 'steps') {
    const steps = Array.isArray(body.steps) ? (body.steps as { id?: unknown }[]) : [];
    const index = steps.findIndex((step) => step?.id === issue.stepId);
    if (index >= 0) path = ['steps', index, ...path];
  }
  // A missing field has no node; the closest existing parent gives the line.
  for (let length = path.length; length > 0; length--) {
    const node = document.getIn(path.slice(0, length), true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) {
      const line = lineCounter.linePos(node.range[0]).line;
      return { ...issue, message: `${issue.message} (line ${line})` };
    }
  }
  return issue;
}

function fieldToPath(field: string): (string | number)[] {
  const path: (string | number)[] = [];
  for (const match of field.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    path.push(match[2] === undefined ? match[1]! : Number(match[2]));
  }
  return path;
}

const KNOWN_KEYS = {
  pipeline: new Set(Object.keys(pipelineSchema.shape)),
  parameter: new Set(Object.keys(pipelineParameterSchema.shape)),
  step: new Set(Object.keys(stepSchema.shape)),
  input: new Set(Object.keys(inputPortSchema.shape)),
  output: new Set(Object.keys(outputPortSchema.shape)),
  env: new Set(['name', 'value', 'secret']),
  position: new Set(['x', 'y']),
};

/** Lists fields the schema does not know. Zod drops them silently, so these warnings are the only trace. */
function unknownFieldWarnings(body: Record<string, unknown>): string[] {
  const warnings: string[] = [];
  const check = (value: unknown, known: Set<string>, where: string) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
    for (const key of Object.keys(value)) {
      if (!known.has(key)) warnings.push(`${where}: unknown field \`${key}\` was ignored`);
    }
  };
  const each = (list: unknown, known: Set<string>, where: string) => {
    if (Array.isArray(list)) list.forEach((item, index) => check(item, known, `${where}[${index}]`));
  };

  check(body, KNOWN_KEYS.pipeline, 'pipeline');
  each(body.parameters, KNOWN_KEYS.parameter, 'parameters');
  const steps = Array.isArray(body.steps) ? (body.steps as Record<string, unknown>[]) : [];
  steps.forEach((step, index) => {
    const where = `steps[${index}]`;
    check(step, KNOWN_KEYS.step, where);
    each(step.inputs, KNOWN_KEYS.input, `${where}.inputs`);
    each(step.outputs, KNOWN_KEYS.output, `${where}.outputs`);
    each(step.env, KNOWN_KEYS.env, `${where}.env`);
    check(step.position, KNOWN_KEYS.position, `${where}.position`);
  });
  return warnings;
}
