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
  const command = template.scriptCommand ? [...template.scriptCommand, template.defaultScript ?? ''] : [...template.command];
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
 * `<interpreter> -c SCRIPT` (e.g. an imported step), so the editor shows the plain command instead.
 */
export function scriptOf(step: Pick<Step, 'kind' | 'command'>): string | undefined {
  const prefix = templateOf(step.kind).scriptCommand;
  if (!prefix || step.command.length !== prefix.length + 1) return undefined;
  const matches = prefix.every((part, index) => step.command[index] === part);
  return matches ? step.command[prefix.length] : undefined;
}

/** Returns the command that runs `script` with the interpreter of the step's kind. */
export function commandWithScript(kind: StepKind, script: string): string[] {
  const prefix = templateOf(kind).scriptCommand ?? [];
  return [...prefix, script];
}
