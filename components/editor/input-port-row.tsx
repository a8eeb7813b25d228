'use client';

import type { Dispatch } from 'react';

import { Button } from '@/components/ui/button';
import { valueMatchesType } from '@/lib/pipeline/parameters';
import {
  isConstantSource,
  isParameterSource,
  isStepOutputSource,
  type InputPort,
  type JsonValue,
  type Pipeline,
  type PortType,
  type Step,
} from '@/lib/pipeline/schema';

import { inputHandleId, outputHandleId } from './connections';
import type { EditorAction } from './editor-state';
import { CheckboxField, SelectField } from './form-fields';
import { NameField } from './name-field';
import { removeInput, renameInput, updateInput } from './port-edits';
import { TypedValueField } from './typed-value-field';

export const PORT_TYPE_OPTIONS: { value: PortType; label: string }[] = [
  { value: 'string', label: 'string' },
  { value: 'number', label: 'number' },
  { value: 'boolean', label: 'boolean' },
  { value: 'json', label: 'json' },
  { value: 'artifact', label: 'artifact' },
];

const CONSTANT_STARTS: Record<Exclude<PortType, 'artifact'>, JsonValue> = { string: '', number: 0, boolean: false, json: null };

/** Encodes an input's source as a select value: '', `parameter:NAME`, `constant`, `step:ID:OUTPUT`. */
function sourceKey(input: InputPort): string {
  const source = input.from;
  if (isStepOutputSource(source)) return `step:${source.step}:${source.output}`;
  if (isParameterSource(source)) return `parameter:${source.parameter}`;
  if (isConstantSource(source)) return 'constant';
  return '';
}

function sourceOptions(pipeline: Pipeline, step: Step, input: InputPort): { value: string; label: string }[] {
  const options = [{ value: '', label: input.default !== undefined ? 'Not connected (uses the default)' : 'Not connected' }];
  for (const parameter of pipeline.parameters) {
    options.push({ value: `parameter:${parameter.name}`, label: `Parameter ${parameter.name} (${parameter.type})` });
  }
  if (input.type !== 'artifact') options.push({ value: 'constant', label: 'Constant value' });
  for (const other of pipeline.steps) {
    if (other.id === step.id) continue;
    for (const output of other.outputs) {
      options.push({ value: `step:${other.id}:${output.name}`, label: `Output ${output.name} of ${other.id} (${output.type})` });
    }
  }

  // Keep a binding to something that no longer exists visible, so the select shows the truth.
  const current = sourceKey(input);
  if (!options.some((option) => option.value === current)) {
    options.push({ value: current, label: `Missing: ${current.replace(/^(step|parameter):/, '')}` });
  }
  return options;
}

/** One input port of the selected step: name, type, optional, default and source. */
export function InputPortRow({
  pipeline,
  step,
  input,
  index,
  dispatch,
}: {
  pipeline: Pipeline;
  step: Step;
  input: InputPort;
  index: number;
  dispatch: Dispatch<EditorAction>;
}) {
  const number = index + 1;
  const update = (patch: Partial<Omit<InputPort, 'name'>>) =>
    dispatch({ type: 'edit', apply: (current) => updateInput(current, step.id, index, patch) });

  const onRename = (name: string) => {
    const result = renameInput(pipeline, step.id, index, name);
    if (!result.ok) return result.message;
    dispatch({ type: 'edit', apply: (current) => renameInput(current, step.id, index, name) });
    return undefined;
  };

  const onTypeChange = (type: PortType) => {
    const keepDefault = input.default !== undefined && valueMatchesType(input.default, type);
    update({ type, default: keepDefault ? input.default : undefined });
  };

  const onSourceChange = (key: string) => {
    if (key === '') return update({ from: undefined });
    if (key === 'constant' && input.type !== 'artifact') return update({ from: { value: CONSTANT_STARTS[input.type] } });
    if (key.startsWith('parameter:')) return update({ from: { parameter: key.slice('parameter:'.length) } });
    if (key.startsWith('step:')) {
      const [, upstreamId = '', outputName = ''] = key.split(':');
      dispatch({
        type: 'connect',
        connection: { source: upstreamId, sourceHandle: outputHandleId(outputName), target: step.id, targetHandle: inputHandleId(input.name) },
      });
    }
  };

  const constant = isConstantSource(input.from) ? input.from : undefined;

  return (
    <fieldset className="flex flex-col gap-2 rounded border border-slate-200 p-2">
      <legend className="px-1 text-[11px] font-semibold text-slate-600">Input {number}</legend>
      <div className="grid grid-cols-[1fr_auto] items-start gap-2">
        <NameField label="name" ariaLabel={`Input ${number} name`} value={input.name} onRename={onRename} />
        <SelectField label="type" ariaLabel={`Input ${number} type`} value={input.type} options={PORT_TYPE_OPTIONS} onChange={onTypeChange} />
      </div>
      <SelectField label="source" ariaLabel={`Input ${number} source`} value={sourceKey(input)} options={sourceOptions(pipeline, step, input)} onChange={onSourceChange} />
      {constant && input.type !== 'artifact' ? (
        <TypedValueField
          label="constant value"
          ariaLabel={`Input ${number} constant value`}
          type={input.type}
          value={constant.value}
          emptyText="null"
          onChange={(value) => update({ from: { value: value ?? null } })}
        />
      ) : null}
      {input.type !== 'artifact' ? (
        <TypedValueField label="default" ariaLabel={`Input ${number} default`} type={input.type} value={input.default} onChange={(value) => update({ default: value })} />
      ) : null}
      <div className="flex items-center justify-between">
        <CheckboxField label="optional" ariaLabel={`Input ${number} optional`} checked={input.optional === true} onChange={(optional) => update({ optional: optional || undefined })} />
        <Button
          size="sm"
          variant="ghost"
          className="text-red-700"
          aria-label={`Remove input ${number}`}
          onClick={() => dispatch({ type: 'edit', apply: (current) => removeInput(current, step.id, index) })}
        >
          Remove
        </Button>
      </div>
    </fieldset>
  );
}
