/**
 * The pipeline model: what a person builds in the editor, stores as a version and runs.
 *
 * These zod schemas check shape only (types, lengths, name syntax). Rules that need the whole
 * pipeline (cycles, bindings, placeholders) live in `validate.ts`.
 */
import { z } from 'zod';

/** DNS-1123 label: lower-case letters, digits and `-`, starting with a letter, at most 63 characters. */
export const STEP_ID_PATTERN = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Names of parameters, ports and environment variables: a letter or `_`, then letters, digits, `_`. */
export const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export const MAX_STEPS = 2000;

const name = z
  .string()
  .regex(NAME_PATTERN, 'must start with a letter or "_" and contain only letters, digits and "_" (at most 63)');

export const stepIdSchema = z
  .string()
  .regex(STEP_ID_PATTERN, 'must be a DNS-1123 label: lower-case letters, digits and "-", starting with a letter, at most 63');

/** Types of pipeline parameters and of step ports that carry small values. */
export const valueTypeSchema = z.enum(['string', 'number', 'boolean', 'json']);
export type ValueType = z.infer<typeof valueTypeSchema>;

/** Types of step ports: small values, or `artifact` for a file or directory handed downstream. */
export const portTypeSchema = z.enum(['string', 'number', 'boolean', 'json', 'artifact']);
export type PortType = z.infer<typeof portTypeSchema>;

/** A JSON value as stored for defaults and constants. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export const jsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValueSchema), z.record(z.string(), jsonValueSchema)]),
);

export const pipelineParameterSchema = z.object({
  name,
  type: valueTypeSchema,
  default: jsonValueSchema.optional(),
  description: z.string().max(2000).optional(),
});
export type PipelineParameter = z.infer<typeof pipelineParameterSchema>;

/**
 * Where an input port gets its value: a pipeline parameter, an upstream step's output, or a constant.
 * A binding to a step output implies an edge from that step.
 */
export const inputSourceSchema = z.union([
  z.object({ parameter: name }).strict(),
  z.object({ step: stepIdSchema, output: name }).strict(),
  z.object({ value: jsonValueSchema }).strict(),
]);
export type InputSource = z.infer<typeof inputSourceSchema>;

export const inputPortSchema = z.object({
  name,
  type: portTypeSchema,
  /** Used when the input has no source. */
  default: jsonValueSchema.optional(),
  optional: z.boolean().optional(),
  description: z.string().max(2000).optional(),
  from: inputSourceSchema.optional(),
});
export type InputPort = z.infer<typeof inputPortSchema>;

export const outputPortSchema = z.object({
  name,
  type: portTypeSchema,
  description: z.string().max(2000).optional(),
});
export type OutputPort = z.infer<typeof outputPortSchema>;

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a valid environment variable name');

/** A key of a Kubernetes secret in the run's namespace. Pipedeck never reads or stores its value. */
export const secretKeyRefSchema = z
  .object({
    name: z
      .string()
      .max(253)
      .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a DNS-1123 subdomain (a Kubernetes secret name)'),
    key: z.string().max(253).regex(/^[-._a-zA-Z0-9]+$/, 'must contain only letters, digits, "-", "_" and "."'),
  })
  .strict();
export type SecretKeyRef = z.infer<typeof secretKeyRefSchema>;

/** An environment variable: a literal value (placeholders allowed) or a reference to a secret key. */
export const envVarSchema = z.union([
  z.object({ name: envName, value: z.string().max(65536) }).strict(),
  z.object({ name: envName, secret: secretKeyRefSchema }).strict(),
]);
export type EnvVar = z.infer<typeof envVarSchema>;
export type ValueEnvVar = Extract<EnvVar, { value: string }>;
export type SecretEnvVar = Extract<EnvVar, { secret: SecretKeyRef }>;

export function isSecretEnvVar(variable: EnvVar): variable is SecretEnvVar {
  return 'secret' in variable;
}

/** Kubernetes resource quantity, e.g. `500m`, `2`, `512Mi`, `1.5Gi`. */
const quantity = z
  .string()
  .regex(/^[0-9]+(\.[0-9]+)?(m|k|Ki|M|Mi|G|Gi|T|Ti)?$/, 'must be a Kubernetes quantity such as 500m, 2, 512Mi or 1Gi');

/** CPU and memory requests and limits, as on a Kubernetes container; `gpu` counts `nvidia.com/gpu`. */
export const resourcesSchema = z
  .object({
    requests: z.object({ cpu: quantity.optional(), memory: quantity.optional() }).strict().optional(),
    limits: z
      .object({ cpu: quantity.optional(), memory: quantity.optional(), gpu: z.number().int().min(0).max(64).optional() })
      .strict()
      .optional(),
  })
  .strict();
export type Resources = z.infer<typeof resourcesSchema>;

/**
 * Who the step's container runs as. By default Pipedeck requires a non-root user (the "restricted"
 * pod security profile); an image that runs as root needs `runAsUser` or `runAsNonRoot: false`.
 */
export const stepSecuritySchema = z
  .object({
    runAsNonRoot: z.boolean().optional(),
    runAsUser: z.number().int().min(0).max(2147483647).optional(),
  })
  .strict();
export type StepSecurity = z.infer<typeof stepSecuritySchema>;

/** The palette entry a step was made from; the editor uses it for icons and templates only. */
export const stepKindSchema = z.enum(['container', 'shell', 'python']);
export type StepKind = z.infer<typeof stepKindSchema>;

export const stepSchema = z.object({
  id: stepIdSchema,
  name: z.string().max(200),
  kind: stepKindSchema.default('container'),
  image: z.string().max(500),
  command: z.array(z.string().max(65536)).max(1000),
  args: z.array(z.string().max(65536)).max(1000).default([]),
  env: z.array(envVarSchema).max(500).default([]),
  workingDir: z.string().max(4096).optional(),
  inputs: z.array(inputPortSchema).max(200).default([]),
  outputs: z.array(outputPortSchema).max(200).default([]),
  resources: resourcesSchema.optional(),
  /** Wall-clock limit for one attempt; the attempt fails with reason `Timeout` (or `DeadlineExceeded` on Kubernetes). */
  timeoutSeconds: z.number().int().min(1).max(604800).optional(),
  security: stepSecuritySchema.optional(),
  /** Order-only edges: this step starts after these steps succeed, with no data passed. */
  dependsOn: z.array(stepIdSchema).max(2000).default([]),
  position: z.object({ x: z.number().finite(), y: z.number().finite() }).default({ x: 0, y: 0 }),
});
export type Step = z.infer<typeof stepSchema>;
/** A step as written by hand or by an importer, before defaults are filled in. */
export type StepInput = z.input<typeof stepSchema>;

export const pipelineSchema = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(200),
  description: z.string().max(10_000).default(''),
  parameters: z.array(pipelineParameterSchema).max(500).default([]),
  steps: z.array(stepSchema).max(MAX_STEPS, `must have at most ${MAX_STEPS} steps`),
});
export type Pipeline = z.infer<typeof pipelineSchema>;
export type PipelineInput = z.input<typeof pipelineSchema>;

/** Returns true when an input is bound to an upstream step's output. */
export function isStepOutputSource(source: InputSource | undefined): source is { step: string; output: string } {
  return source !== undefined && 'step' in source;
}

/** Returns true when an input is bound to a pipeline parameter. */
export function isParameterSource(source: InputSource | undefined): source is { parameter: string } {
  return source !== undefined && 'parameter' in source;
}

/** Returns true when an input is bound to a constant. */
export function isConstantSource(source: InputSource | undefined): source is { value: JsonValue } {
  return source !== undefined && 'value' in source;
}
