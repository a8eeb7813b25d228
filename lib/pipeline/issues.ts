/**
 * The one catalogue of validation codes. The editor, the HTTP API and the CLI all report problems
 * in a pipeline with these codes, so a message shown on a canvas node is the one an import returns.
 */

/** Kinds of problem found in a pipeline or in a pipeline file. New codes may be added; none are removed. */
export type ValidationCode =
  | 'invalid_field'
  | 'duplicate_step_id'
  | 'invalid_step_id'
  | 'missing_image'
  | 'missing_command'
  | 'cycle'
  | 'unknown_step'
  | 'unknown_output'
  | 'unknown_parameter'
  | 'unbound_input'
  | 'type_mismatch'
  | 'unknown_placeholder'
  | 'duplicate_name'
  | 'self_dependency'
  | 'invalid_default'
  | 'invalid_yaml'
  | 'too_large'
  | 'unsupported_format';

/**
 * One problem, with a message that names the step, the field and the fix.
 *
 * `field` is a path such as `args[1]` or `inputs[0].from`. In issues from `validatePipeline` that
 * carry a `stepId`, the path starts inside that step. In shape errors from `parsePipeline` and in
 * file errors, it starts at the pipeline root, as in `steps[2].command`.
 */
export interface ValidationIssue {
  code: ValidationCode;
  message: string;
  stepId?: string;
  field?: string;
}

/** A one-sentence description of each code, for help text and API docs. */
export const VALIDATION_CODES: Record<ValidationCode, string> = {
  invalid_field: 'A field has the wrong type, syntax or length.',
  duplicate_step_id: 'Two or more steps share one id.',
  invalid_step_id: 'A step id is not a DNS-1123 label.',
  missing_image: 'A step has no container image.',
  missing_command: 'A step has no command to run.',
  cycle: 'Steps depend on each other in a loop, through data bindings or dependsOn.',
  unknown_step: 'A binding or dependsOn names a step that does not exist.',
  unknown_output: 'An input is bound to an output that the upstream step does not declare.',
  unknown_parameter: 'An input is bound to a pipeline parameter that is not declared.',
  unbound_input: 'A required input has no source and no default.',
  type_mismatch: 'An input is bound to a source of an incompatible type.',
  unknown_placeholder: 'A placeholder names something the step does not declare.',
  duplicate_name: 'Two parameters, ports or environment variables share one name.',
  self_dependency: 'A step depends on itself.',
  invalid_default: 'A default value does not match the declared type.',
  invalid_yaml: 'A file is not valid YAML, has duplicate keys, too many aliases or a wrong root.',
  too_large: 'A file is larger than the import limit.',
  unsupported_format: 'A file declares an apiVersion or kind that this version cannot read.',
};

/** Formats an issue as one line for logs and the CLI, e.g. `[unbound_input] step `train`: ...`. */
export function formatIssue(issue: ValidationIssue): string {
  return `[${issue.code}] ${issue.message}`;
}
