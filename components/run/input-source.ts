/** Plain-text descriptions of where a step input gets its value, for inputs not resolved yet. */
import { isConstantSource, isParameterSource, isStepOutputSource, type InputPort } from '@/lib/pipeline/schema';

/** Formats a stored JSON value for display: strings as they are, anything else as JSON. */
export function formatValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Describes an input's source, e.g. `from clean.data`, `parameter dataset`, `constant 3`, `default "x"`. */
export function describeInputSource(input: InputPort): string {
  if (isStepOutputSource(input.from)) {
    return `from ${input.from.step}.${input.from.output}`;
  }
  if (isParameterSource(input.from)) {
    return `parameter ${input.from.parameter}`;
  }
  if (isConstantSource(input.from)) {
    return `constant ${JSON.stringify(input.from.value)}`;
  }
  if (input.default !== undefined) {
    return `default ${JSON.stringify(input.default)}`;
  }
  return input.optional ? 'not set (optional)' : 'not set';
}
