'use client';

import type { Dispatch } from 'react';

import { Button } from '@/components/ui/button';
import type { ValidationIssue } from '@/lib/pipeline/issues';
import { valueMatchesType } from '@/lib/pipeline/parameters';
import type { Pipeline, PipelineParameter, ValueType } from '@/lib/pipeline/schema';

import type { EditorAction } from './editor-state';
import { SelectField, TextAreaField, TextField } from './form-fields';
import { NameField } from './name-field';
import { addParameter, removeParameter, renameParameter, updateParameter } from './port-edits';
import { PanelSection } from './panel-section';
import { TypedValueField } from './typed-value-field';

const VALUE_TYPE_OPTIONS: { value: ValueType; label: string }[] = [
  { value: 'string', label: 'string' },
  { value: 'number', label: 'number' },
  { value: 'boolean', label: 'boolean' },
  { value: 'json', label: 'json' },
];

/** The pipeline's own properties, shown when no step is selected: name, description, parameters. */
export function PipelineProperties({
  pipeline,
  issues,
  dispatch,
}: {
  pipeline: Pipeline;
  issues: readonly ValidationIssue[];
  dispatch: Dispatch<EditorAction>;
}) {
  const nameError = issues.find((issue) => issue.field === 'name')?.message;

  return (
    <div className="flex flex-col">
      <div className="px-4 py-3">
        <h2 className="text-sm font-semibold text-slate-900">Pipeline properties</h2>
        <p className="text-xs text-slate-500">Select a step on the canvas to edit it.</p>
      </div>
      <div className="flex flex-col gap-3 px-4 pb-3">
        <TextField
          label="Pipeline name"
          value={pipeline.name}
          onChange={(name) => dispatch({ type: 'edit', apply: (current) => ({ ...current, name }) })}
          error={nameError}
        />
        <TextAreaField
          label="Description"
          value={pipeline.description}
          onChange={(description) => dispatch({ type: 'edit', apply: (current) => ({ ...current, description }) })}
          rows={3}
        />
      </div>
      <PanelSection title="Parameters">
        {pipeline.parameters.length === 0 ? (
          <p className="text-xs text-slate-500">No parameters. A parameter is a value asked for when the pipeline runs.</p>
        ) : null}
        {pipeline.parameters.map((parameter, index) => (
          <ParameterRow key={index} pipeline={pipeline} parameter={parameter} index={index} issues={issues} dispatch={dispatch} />
        ))}
        <Button size="sm" className="self-start" onClick={() => dispatch({ type: 'edit', apply: addParameter })}>
          Add parameter
        </Button>
      </PanelSection>
    </div>
  );
}

function ParameterRow({
  pipeline,
  parameter,
  index,
  issues,
  dispatch,
}: {
  pipeline: Pipeline;
  parameter: PipelineParameter;
  index: number;
  issues: readonly ValidationIssue[];
  dispatch: Dispatch<EditorAction>;
}) {
  const number = index + 1;
  const update = (patch: Partial<Omit<PipelineParameter, 'name'>>) =>
    dispatch({ type: 'edit', apply: (current) => updateParameter(current, index, patch) });
  const problems = issues.filter((issue) => issue.field?.startsWith(`parameters[${index}]`));

  const onRename = (name: string) => {
    const result = renameParameter(pipeline, index, name);
    if (!result.ok) return result.message;
    dispatch({ type: 'edit', apply: (current) => renameParameter(current, index, name) });
    return undefined;
  };

  const onTypeChange = (type: ValueType) => {
    const keepDefault = parameter.default !== undefined && valueMatchesType(parameter.default, type);
    update({ type, default: keepDefault ? parameter.default : undefined });
  };

  return (
    <fieldset className="flex flex-col gap-2 rounded border border-slate-200 p-2">
      <legend className="px-1 text-[11px] font-semibold text-slate-600">Parameter {number}</legend>
      <div className="grid grid-cols-[1fr_auto] items-start gap-2">
        <NameField
          label="name"
          ariaLabel={`Parameter ${number} name`}
          value={parameter.name}
          onRename={onRename}
          hint="Renaming updates the inputs bound to it."
        />
        <SelectField label="type" ariaLabel={`Parameter ${number} type`} value={parameter.type} options={VALUE_TYPE_OPTIONS} onChange={onTypeChange} />
      </div>
      <TypedValueField
        label="default"
        ariaLabel={`Parameter ${number} default`}
        type={parameter.type}
        value={parameter.default}
        emptyText="required when running"
        onChange={(value) => update({ default: value })}
      />
      <TextField
        label="description"
        ariaLabel={`Parameter ${number} description`}
        value={parameter.description ?? ''}
        onChange={(description) => update({ description: description === '' ? undefined : description })}
      />
      {problems.map((problem, at) => (
        <p key={at} className="text-[11px] text-red-700">
          {problem.message}
        </p>
      ))}
      <Button
        size="sm"
        variant="ghost"
        className="self-end text-red-700"
        aria-label={`Remove parameter ${number}`}
        onClick={() => dispatch({ type: 'edit', apply: (current) => removeParameter(current, index) })}
      >
        Remove
      </Button>
    </fieldset>
  );
}
