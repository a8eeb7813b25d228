/**
 * The palette: the kinds of step a person can add, the step each kind starts as, and the script
 * field that shell and Python steps keep inside their command.
 */
import type { Pipeline, Step, StepKind } from '@/lib/pipeline/schema';

/** One palette entry. */
export interface StepTemplate {
  kind: StepKind;
  /** Accessible name and visible title of the palette item. */
  label: string;
  description: string;
  /** Prefix of generated step ids, e.g. `shell` for `shell-2`. */
  idPrefix: string;
  image: string;
  /** Command before the script, for kinds that run a script (`sh -c SCRIPT`). */
  scriptCommand?: string[];
  /**
   * Command after the script and before the step's arguments. A shell step runs
   * `sh -c SCRIPT sh ARGS…`: `sh -c` makes the word after the script `$0`, so this `sh` keeps the
   * step's first argument at `$1`, as in a script file.
   */
  scriptSuffix?: string[];
  /** How the script reads the step's arguments, shown under the Arguments field. */
  argumentsHint?: string;
  defaultScript?: string;
  command: string[];
  args: string[];
}

export const STEP_TEMPLATES: readonly StepTemplate[] = [
  {
    kind: 'container',
    label: 'Container step',
    description: 'Any image, command and arguments',
    idPrefix: 'step',
    image: 'alpine:3.20',
    command: ['echo'],
    args: ['Hello from Pipedeck'],
  },
  {
    kind: 'shell',
    label: 'Shell script',
    description: 'A POSIX sh script in Alpine',
    idPrefix: 'shell',
    image: 'alpine:3.20',
    scriptCommand: ['sh', '-c'],
    scriptSuffix: ['sh'],
    argumentsHint: 'Arguments: $1, $2… in the script.',
    defaultScript: 'echo "Hello from a shell step"',
    command: [],
    args: [],
  },
  {
    kind: 'python',
    label: 'Python script',
    description: 'A Python 3.12 script',
    idPrefix: 'python',
    image: 'python:3.12-slim',
    scriptCommand: ['python3', '-c'],
    // `python3 -c` sets sys.argv[0] to "-c", so the first argument is already sys.argv[1].
    argumentsHint: 'Arguments: sys.argv[1], sys.argv[2]… in the script.',
    defaultScript: 'print("Hello from a Python step")',
    command: [],
    args: [],
  },
];

/** Returns the palette entry of a kind. */
export function templateOf(kind: StepKind): StepTemplate {
  return STEP_TEMPLATES.find((template) => template.kind === kind) ?? STEP_TEMPLATES[0]!;
}

/** Returns true when `value` names a palette kind, e.g. from drag-and-drop data. */
export function isStepKind(value: unknown): value is StepKind {
  return STEP_TEMPLATES.some((template) => template.kind === value);
}

/**
 * Returns an unused id for a new step of `kind`: the kind's prefix and the smallest number, counting
 * from the step count plus one, that no step uses yet (`step-1`, then `shell-2`, ...).
 */
export function nextStepId(pipeline: Pick<Pipeline, 'steps'>, kind: StepKind): string {
  const used = new Set(pipeline.steps.map((step) => step.id));
  const prefix = templateOf(kind).idPrefix;
  let number = pipeline.steps.length + 1;
  while (used.has(`${prefix}-${number}`)) number++;
  return `${prefix}-${number}`;
}

/** Builds a new step of `kind` with the palette defaults. */
export function createStep(kind: StepKind, id: string, position: { x: number; y: number }): Step {
  const template = templateOf(kind);
  const command = template.scriptCommand
    ? [...template.scriptCommand, template.defaultScript ?? '', ...(template.scriptSuffix ?? [])]
    : [...template.command];
  return {
    id,
    name: template.label,
    kind,
    image: template.image,
    command,
    args: [...template.args],
    env: [],
    inputs: [],
    outputs: [],
    dependsOn: [],
    position: { x: position.x, y: position.y },
  };
}

/**
 * Returns the script of a shell or Python step, or undefined when the step's command is not
 * `<interpreter> -c SCRIPT` followed by the kind's suffix (e.g. an imported step), so the editor
 * shows the plain command instead. Shell steps saved before the `sh` suffix existed
 * (`sh -c SCRIPT`) are read too.
 */
export function scriptOf(step: Pick<Step, 'kind' | 'command'>): string | undefined {
  const { scriptCommand: prefix, scriptSuffix: suffix = [] } = templateOf(step.kind);
  if (!prefix || !prefix.every((part, index) => step.command[index] === part)) return undefined;

  const rest = step.command.slice(prefix.length + 1);
  const withSuffix = rest.length === suffix.length && suffix.every((part, index) => rest[index] === part);
  const withoutSuffix = rest.length === 0;
  return step.command.length > prefix.length && (withSuffix || withoutSuffix) ? step.command[prefix.length] : undefined;
}

/**
 * Returns the step's command with its script replaced by `script`, keeping what follows the script,
 * so a shell step saved without the `sh` suffix keeps its arguments where its script expects them.
 * Call it only for a step whose `scriptOf` is defined.
 */
export function commandWithScript(step: Pick<Step, 'kind' | 'command'>, script: string): string[] {
  const prefix = templateOf(step.kind).scriptCommand ?? [];
  return [...prefix, script, ...step.command.slice(prefix.length + 1)];
}

/**
 * Returns the hint of a script step's Arguments field: where the script finds its arguments. A
 * shell step saved without the `sh` suffix gets its first argument as `$0`, and the hint says so.
 */
export function scriptArgumentsHint(step: Pick<Step, 'kind' | 'command'>): string | undefined {
  const template = templateOf(step.kind);
  const suffix = template.scriptSuffix ?? [];
  const prefixLength = template.scriptCommand?.length ?? 0;
  if (suffix.length > 0 && step.command.length === prefixLength + 1) {
    return 'Arguments: $0, $1… in the script, because the command has no name for $0 after the script.';
  }
  return template.argumentsHint;
}
