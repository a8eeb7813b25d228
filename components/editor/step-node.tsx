'use client';

import { Handle, Position, useUpdateNodeInternals, type NodeProps } from '@xyflow/react';
import { memo, useEffect } from 'react';

import { isConstantSource, isParameterSource, type InputPort, type PortType, type StepKind } from '@/lib/pipeline/schema';

import { inputHandleId, ORDER_SOURCE_HANDLE, ORDER_TARGET_HANDLE, outputHandleId } from './connections';
import type { StepNode as StepNodeType } from './flow-elements';

const KIND_LABELS: Record<StepKind, string> = { container: 'container', shell: 'shell', python: 'python' };

const KIND_BADGES: Record<StepKind, string> = {
  container: 'bg-slate-100 text-slate-700',
  shell: 'bg-emerald-50 text-emerald-800',
  python: 'bg-amber-50 text-amber-800',
};

const HANDLE_BASE = '!h-3 !w-3 !border-2 !border-white';

function portHandleClass(type: PortType): string {
  return `${HANDLE_BASE} ${type === 'artifact' ? '!bg-violet-600' : '!bg-blue-600'}`;
}

/** Where an input not wired on the canvas gets its value: a parameter or a constant. */
function InputSourceNote({ input }: { input: InputPort }) {
  if (isParameterSource(input.from)) {
    return <span className="ml-1 rounded bg-sky-50 px-1 text-[10px] text-sky-800">= param {input.from.parameter}</span>;
  }
  if (isConstantSource(input.from)) {
    const text = JSON.stringify(input.from.value);
    return (
      <span className="ml-1 rounded bg-slate-100 px-1 text-[10px] text-slate-700" title={text}>
        = {text.length > 16 ? `${text.slice(0, 15)}…` : text}
      </span>
    );
  }
  return null;
}

/**
 * A step on the canvas: name, id, kind and image, one input handle per input port and one output
 * handle per output port, plus an order handle on each side for dependsOn edges. A step with
 * validation problems gets a red border and a count whose tooltip lists them.
 */
function StepNodeView({ id, data, selected }: NodeProps<StepNodeType>) {
  const { step, issues } = data;
  const updateNodeInternals = useUpdateNodeInternals();
  const handleKey = [...step.inputs.map((input) => input.name), '|', ...step.outputs.map((output) => output.name)].join(',');

  // Handles are measured once; a renamed or reordered port must be measured again for edges to attach.
  useEffect(() => {
    updateNodeInternals(id);
  }, [id, handleKey, updateNodeInternals]);

  let border = 'border-slate-300';
  if (selected) border = 'border-blue-600';
  if (issues.length > 0) border = 'border-red-500';
  const ring = selected ? 'ring-2 ring-blue-300' : '';

  return (
    <div
      className={`w-60 rounded-md border-2 bg-white text-xs shadow-sm ${border} ${ring}`}
      data-step-id={step.id}
      data-problems={issues.length}
    >
      {/* The kind badge sits on the id line, so the title gets the node's full width. */}
      <div className="flex items-start gap-2 px-3 pt-2">
        <div className="min-w-0 flex-1 truncate text-sm font-semibold text-slate-900" title={step.name || step.id}>
          {step.name || step.id}
        </div>
        {issues.length > 0 ? (
          <span
            role="img"
            aria-label={`${issues.length} ${issues.length === 1 ? 'problem' : 'problems'}`}
            title={issues.map((issue) => issue.message).join('\n')}
            className="shrink-0 rounded-full bg-red-600 px-1.5 py-0.5 text-[10px] font-bold text-white"
            data-testid="step-problem-count"
          >
            {issues.length}
          </span>
        ) : null}
      </div>
      <div className="flex items-center gap-2 px-3">
        <div className="min-w-0 flex-1 truncate font-mono text-[11px] text-slate-500" title={step.id}>
          {step.id}
        </div>
        <span className={`shrink-0 rounded px-1.5 py-0.5 text-[10px] font-medium ${KIND_BADGES[step.kind]}`}>
          {KIND_LABELS[step.kind]}
        </span>
      </div>
      <div className="truncate px-3 pb-2 font-mono text-[11px] text-slate-600" title={step.image}>
        {step.image || <span className="text-red-600">no image</span>}
      </div>

      <div className="border-t border-slate-100 py-1">
        <div className="relative flex justify-between px-3 py-0.5 text-[10px] uppercase tracking-wide text-slate-400">
          <Handle
            type="target"
            position={Position.Left}
            id={ORDER_TARGET_HANDLE}
            className={`${HANDLE_BASE} !rounded-sm !bg-slate-400`}
            aria-label={`Order input of ${step.id}: runs after`}
            title="Runs after (order only)"
          />
          <span>after</span>
          <span>then</span>
          <Handle
            type="source"
            position={Position.Right}
            id={ORDER_SOURCE_HANDLE}
            className={`${HANDLE_BASE} !rounded-sm !bg-slate-400`}
            aria-label={`Order output of ${step.id}: runs before`}
            title="Runs before (order only)"
          />
        </div>
        {step.inputs.map((input, index) => (
          <div key={`in:${index}:${input.name}`} className="relative px-3 py-0.5 text-slate-700">
            <Handle
              type="target"
              position={Position.Left}
              id={inputHandleId(input.name)}
              className={portHandleClass(input.type)}
              aria-label={`Input ${input.name} of ${step.id}`}
              title={`Input ${input.name} (${input.type})`}
            />
            <span className="font-mono">{input.name}</span>
            <span className="text-slate-400"> : {input.type}</span>
            {input.optional ? <span className="text-slate-400"> (optional)</span> : null}
            <InputSourceNote input={input} />
          </div>
        ))}
        {step.outputs.map((output, index) => (
          <div key={`out:${index}:${output.name}`} className="relative px-3 py-0.5 text-right text-slate-700">
            <span className="font-mono">{output.name}</span>
            <span className="text-slate-400"> : {output.type}</span>
            <Handle
              type="source"
              position={Position.Right}
              id={outputHandleId(output.name)}
              className={portHandleClass(output.type)}
              aria-label={`Output ${output.name} of ${step.id}`}
              title={`Output ${output.name} (${output.type})`}
            />
          </div>
        ))}
      </div>
    </div>
  );
}

export const StepNodeComponent = memo(StepNodeView);

/** Node types for React Flow; defined once at module level so React Flow does not remount nodes. */
export const NODE_TYPES = { step: StepNodeComponent };
