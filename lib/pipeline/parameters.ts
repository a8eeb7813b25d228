/**
 * Pipeline parameter values: coercing what a form or the API sends to the declared types, and the
 * text a placeholder receives for a value.
 */
import { PipedeckError } from '../errors';
import type { JsonValue, Pipeline, PortType } from './schema';

/** One problem with one parameter value, as listed in `PipedeckError.details`. */
export interface ParameterProblem {
  name: string;
  message: string;
}

// Plain decimal numbers as a person types them; rejects "", "0x10", "Infinity" and "1_000",
// which Number() would accept or turn into something unexpected.
const NUMBER_TEXT = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * Coerces raw values (strings from a form, or JSON values from the API) to the declared types and
 * fills defaults. Throws PipedeckError('invalid_parameters', message, details: ParameterProblem[])
 * listing every problem at once.
 *
 * Coercion, by declared type:
 * - string: a string as is; a number or boolean becomes its text.
 * - number: a finite number, or decimal text such as "3", "-0.5", "1e3" (surrounding spaces allowed).
 * - boolean: true/false, or the text "true"/"false" in any case.
 * - json: a string is parsed as JSON text (so `"\"a\""` for the JSON string "a"); any other JSON
 *   value is taken as is.
 *
 * A missing value, `undefined`, and for number, boolean and json an empty or blank string (a form
 * field left empty) mean "not given": the default is used, and with no default the parameter is
 * reported as missing.
 */
export function resolveParameters(pipeline: Pipeline, raw: Record<string, unknown>): Record<string, JsonValue> {
  const problems: ParameterProblem[] = [];
  const resolved: Record<string, JsonValue> = {};
  const declared = new Map(pipeline.parameters.map((parameter) => [parameter.name, parameter]));

  for (const name of Object.keys(raw)) {
    if (!declared.has(name)) {
      problems.push({ name, message: `\`${name}\` is not a parameter of this pipeline; ${declaredList(pipeline)}` });
    }
  }

  for (const parameter of pipeline.parameters) {
    const value = Object.hasOwn(raw, parameter.name) ? raw[parameter.name] : undefined;
    const given = !(value === undefined || (parameter.type !== 'string' && typeof value === 'string' && value.trim() === ''));
    if (!given) {
      if (parameter.default !== undefined) {
        resolved[parameter.name] = parameter.default;
      } else {
        problems.push({ name: parameter.name, message: `\`${parameter.name}\` is required; give it a ${parameter.type} value` });
      }
      continue;
    }

    const result = coerceValue(value, parameter.type);
    if (result.ok) {
      resolved[parameter.name] = result.value;
    } else {
      problems.push({ name: parameter.name, message: `\`${parameter.name}\` (${parameter.type}): ${result.message}` });
    }
  }

  if (problems.length > 0) {
    const summary = problems.map((problem) => problem.message).join('; ');
    throw new PipedeckError('invalid_parameters', `invalid parameters: ${summary}`, problems);
  }
  return resolved;
}

/** Returns the text a placeholder receives: string as is, number via String, boolean 'true'/'false', other JSON via JSON.stringify. */
export function formatValue(value: JsonValue): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * Returns true when a stored value (a default, a constant or a resolved parameter) has exactly the
 * declared type. No value matches `artifact`: artifacts are files produced by steps.
 */
export function valueMatchesType(value: JsonValue, type: PortType): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'json':
      return isJsonValue(value);
    case 'artifact':
      return false;
  }
}

/** Names the JSON type of a value for messages: "a string", "an array", "null". */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(truncate(value))}`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return `the boolean ${value}`;
  return `a value of type ${typeof value}`;
}

type Coerced = { ok: true; value: JsonValue } | { ok: false; message: string };

function coerceValue(value: unknown, type: PortType): Coerced {
  switch (type) {
    case 'string':
      if (typeof value === 'string') return { ok: true, value };
      if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') {
        return { ok: true, value: String(value) };
      }
      return { ok: false, message: `expected a string, got ${describeValue(value)}` };

    case 'number':
      if (typeof value === 'number' && Number.isFinite(value)) return { ok: true, value };
      if (typeof value === 'string' && NUMBER_TEXT.test(value.trim())) {
        const parsed = Number(value.trim());
        if (Number.isFinite(parsed)) return { ok: true, value: parsed };
        return { ok: false, message: `${describeValue(value)} is out of the range of numbers` };
      }
      return { ok: false, message: `expected a number, got ${describeValue(value)}` };

    case 'boolean':
      if (typeof value === 'boolean') return { ok: true, value };
      if (typeof value === 'string') {
        const text = value.trim().toLowerCase();
        if (text === 'true') return { ok: true, value: true };
        if (text === 'false') return { ok: true, value: false };
      }
      return { ok: false, message: `expected true or false, got ${describeValue(value)}` };

    case 'json':
      if (typeof value === 'string') {
        try {
          return { ok: true, value: JSON.parse(value) as JsonValue };
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          return { ok: false, message: `${describeValue(value)} is not valid JSON (${reason})` };
        }
      }
      if (isJsonValue(value)) return { ok: true, value };
      return { ok: false, message: `expected a JSON value, got ${describeValue(value)}` };

    case 'artifact':
      return { ok: false, message: 'a parameter cannot be an artifact' };
  }
}

function isJsonValue(value: unknown): value is JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJsonValue);
  if (typeof value === 'object') {
    const prototype = Object.getPrototypeOf(value) as unknown;
    if (prototype !== Object.prototype && prototype !== null) return false;
    return Object.values(value as Record<string, unknown>).every(isJsonValue);
  }
  return false;
}

function declaredList(pipeline: Pipeline): string {
  if (pipeline.parameters.length === 0) return 'the pipeline declares no parameters';
  return `declared parameters: ${pipeline.parameters.map((parameter) => `\`${parameter.name}\``).join(', ')}`;
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
