/**
 * Placeholders in a step's command, args and env values: `{{inputs.NAME}}`, `{{outputs.NAME}}`,
 * `{{run.id}}` and `{{step.id}}`, with optional spaces inside the braces (`{{ inputs.x }}`).
 *
 * Substitution works on one argv element at a time and never goes through a shell, so a value with
 * spaces, quotes, `$(...)`, `;` or newlines stays inside the one element it was placed in.
 * Substituted text is not scanned again, so a value that itself contains `{{...}}` stays literal.
 */
import { PipedeckError } from '../errors';
import { isSecretEnvVar, type EnvVar } from './schema';

/** Values a step's placeholders are replaced with. */
export interface PlaceholderContext {
  /** Input name → value text (for an artifact input, the path where it is mounted). */
  inputs: Record<string, string>;
  /** Output name → path where the step must write that output. */
  outputs: Record<string, string>;
  runId: string;
  stepId: string;
}

/** A placeholder of a known shape. */
export interface Placeholder {
  kind: 'inputs' | 'outputs' | 'run' | 'step';
  name: string;
  /** The placeholder as written, braces included, e.g. `{{ inputs.data }}`. */
  raw: string;
}

/** Any `{{...}}` token in a template, with its parsed form when it has a known shape. */
export interface PlaceholderToken {
  raw: string;
  /** The text between the braces, trimmed. */
  expression: string;
  placeholder?: Placeholder;
}

// `{{`, then anything without braces, then `}}`. A lone `{{` or a JSON text such as `{"a":{}}` is
// not a token and passes through unchanged.
const TOKEN_PATTERN = /\{\{([^{}]*)\}\}/g;
const EXPRESSION_PATTERN = /^(inputs|outputs|run|step)\.([A-Za-z_][A-Za-z0-9_]*)$/;

/** Lists every `{{...}}` token in a template, including ones of unknown shape such as `{{item}}`. */
export function scanPlaceholders(template: string): PlaceholderToken[] {
  const tokens: PlaceholderToken[] = [];
  for (const match of template.matchAll(TOKEN_PATTERN)) {
    tokens.push(parseToken(match[0], match[1]!));
  }
  return tokens;
}

/**
 * Lists the placeholders of a known shape (`inputs.X`, `outputs.X`, `run.X`, `step.X`) in a template.
 * Whether the name exists is for validation to decide; tokens of other shapes are left out
 * (see `scanPlaceholders`).
 */
export function listPlaceholders(template: string): Placeholder[] {
  return scanPlaceholders(template).flatMap((token) => (token.placeholder ? [token.placeholder] : []));
}

/**
 * Replaces every placeholder in one template with its value.
 * Throws PipedeckError('invalid_pipeline') for a placeholder the context has no value for.
 */
export function renderTemplate(template: string, context: PlaceholderContext): string {
  return template.replace(TOKEN_PATTERN, (raw: string, inner: string) => {
    const token = parseToken(raw, inner);
    return resolveToken(token, context);
  });
}

/** Renders each argv element on its own: the result always has one element per template element. */
export function renderArgv(templates: string[], context: PlaceholderContext): string[] {
  return templates.map((template) => renderTemplate(template, context));
}

/**
 * Renders environment variable values; names are never rendered. Secret references are left out:
 * the executor resolves them where the secret lives.
 */
export function renderEnv(env: EnvVar[], context: PlaceholderContext): Record<string, string> {
  const rendered: Record<string, string> = {};
  for (const variable of env) {
    if (!isSecretEnvVar(variable)) rendered[variable.name] = renderTemplate(variable.value, context);
  }
  return rendered;
}

/** Explains why a token with no known meaning is rejected; used by validation and rendering alike. */
export function describeUnknownToken(token: PlaceholderToken): string {
  if (token.expression === 'item') {
    return `\`${token.raw}\` is reserved for forEach, which is not supported yet; remove the placeholder`;
  }
  return (
    `\`${token.raw}\` is not a known placeholder; use {{inputs.NAME}}, {{outputs.NAME}}, ` +
    '{{run.id}} or {{step.id}}'
  );
}

function parseToken(raw: string, inner: string): PlaceholderToken {
  const expression = inner.trim();
  const match = EXPRESSION_PATTERN.exec(expression);
  if (!match) return { raw, expression };
  const kind = match[1] as Placeholder['kind'];
  return { raw, expression, placeholder: { kind, name: match[2]!, raw } };
}

function resolveToken(token: PlaceholderToken, context: PlaceholderContext): string {
  const placeholder = token.placeholder;
  if (placeholder?.kind === 'run' && placeholder.name === 'id') return context.runId;
  if (placeholder?.kind === 'step' && placeholder.name === 'id') return context.stepId;
  if (placeholder?.kind === 'inputs' || placeholder?.kind === 'outputs') {
    const values = context[placeholder.kind];
    // Object.hasOwn keeps names such as `constructor` from resolving to Object.prototype members.
    if (Object.hasOwn(values, placeholder.name)) return values[placeholder.name]!;
    const port = placeholder.kind === 'inputs' ? 'input' : 'output';
    throw new PipedeckError(
      'invalid_pipeline',
      `step \`${context.stepId}\`: \`${token.raw}\` refers to ${port} \`${placeholder.name}\`, which the step does not declare`,
    );
  }
  throw new PipedeckError('invalid_pipeline', `step \`${context.stepId}\`: ${describeUnknownToken(token)}`);
}
