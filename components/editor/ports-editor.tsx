'use client';

import type { Dispatch } from 'react';

import { Button } from '@/components/ui/button';
import type { OutputPort, Pipeline, PortType, Step } from '@/lib/pipeline/schema';

import type { EditorAction } from './editor-state';
import { SelectField } from './form-fields';
import { InputPortRow, PORT_TYPE_OPTIONS } from './input-port-row';
import { NameField } from './name-field';
import { addInput, addOutput, removeOutput, renameOutput, updateOutput } from './port-edits';

/** The selected step's input ports, each with its source, and a button to add one. */
export function InputsEditor({ pipeline, step, dispatch }: { pipeline: Pipeline; step: Step; dispatch: Dispatch<EditorAction> }) {
  return (
    <div className="flex flex-col gap-2">
      {step.inputs.length === 0 ? <p className="text-xs text-slate-500">No inputs.</p> : null}
      {step.inputs.map((input, index) => (
        <InputPortRow key={index} pipeline={pipeline} step={step} input={input} index={index} dispatch={dispatch} />
      ))}
      <Button size="sm" className="self-start" onClick={() => dispatch({ type: 'edit', apply: (current) => addInput(current, step.id) })}>
        Add input
      </Button>
    </div>
  );
}

/** The selected step's output ports, and a button to add one. */
export function OutputsEditor({ pipeline, step, dispatch }: { pipeline: Pipeline; step: Step; dispatch: Dispatch<EditorAction> }) {
  return (
    <div className="flex flex-col gap-2">
      {step.outputs.length === 0 ? <p className="text-xs text-slate-500">No outputs.</p> : null}
      {step.outputs.map((output, index) => (
        <OutputPortRow key={index} pipeline={pipeline} step={step} output={output} index={index} dispatch={dispatch} />
      ))}
      <Button size="sm" className="self-start" onClick={() => dispatch({ type: 'edit', apply: (current) => addOutput(current, step.id) })}>
        Add output
      </Button>
    </div>
  );
}

function OutputPortRow({
  pipeline,
  step,
  output,
  index,
  dispatch,
}: {
  pipeline: Pipeline;
  step: Step;
  output: OutputPort;
  index: number;
  dispatch: Dispatch<EditorAction>;
}) {
  const number = index + 1;

  const onRename = (name: string) => {
    const result = renameOutput(pipeline, step.id, index, name);
    if (!result.ok) return result.message;
    dispatch({ type: 'edit', apply: (current) => renameOutput(current, step.id, index, name) });
    return undefined;
  };

  return (
    <fieldset className="flex flex-col gap-1 rounded border border-slate-200 p-2">
      <legend className="px-1 text-[11px] font-semibold text-slate-600">Output {number}</legend>
      <div className="grid grid-cols-[1fr_auto] items-start gap-2">
        <NameField label="name" ariaLabel={`Output ${number} name`} value={output.name} onRename={onRename} />
        <SelectField
          label="type"
          ariaLabel={`Output ${number} type`}
          value={output.type}
          options={PORT_TYPE_OPTIONS}
          onChange={(type: PortType) => dispatch({ type: 'edit', apply: (current) => updateOutput(current, step.id, index, { type }) })}
        />
      </div>
      <div className="flex items-center justify-between gap-2">
        <p className="text-[11px] text-slate-500">
          The step writes it to <code className="font-mono">{`{{outputs.${output.name}}}`}</code>.
        </p>
        <Button
          size="sm"
          variant="ghost"
          className="text-red-700"
          aria-label={`Remove output ${number}`}
          onClick={() => dispatch({ type: 'edit', apply: (current) => removeOutput(current, step.id, index) })}
        >
          Remove
        </Button>
      </div>
    </fieldset>
  );
}
