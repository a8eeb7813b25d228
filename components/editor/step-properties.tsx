'use client';

import type { Dispatch } from 'react';

import { Button } from '@/components/ui/button';
import type { ValidationIssue } from '@/lib/pipeline/issues';
import type { Pipeline, Step } from '@/lib/pipeline/schema';

import { ArgvField } from './argv-field';
import type { EditorAction } from './editor-state';
import { EnvEditor } from './env-editor';
import { TextAreaField, TextField } from './form-fields';
import { LimitsSection } from './limits-section';
import { NameField } from './name-field';
import { PanelSection } from './panel-section';
import { PlaceholderHelp } from './placeholder-help';
import { PlaceholderTargetProvider } from './placeholder-target';
import { InputsEditor, OutputsEditor } from './ports-editor';
import { renameStepId, type StepPatch } from './step-edits';
import { commandWithScript, scriptArgumentsHint, scriptOf, templateOf } from './step-templates';

/** Returns the message of the first problem on `field` (e.g. `image`, `command`), if any. */
function fieldError(issues: readonly ValidationIssue[], field: string): string | undefined {
  return issues.find((issue) => issue.field === field || issue.field?.startsWith(`${field}[`))?.message;
}

/**
 * The properties of the selected step. Every field writes to the pipeline on each change, so
 * nothing typed is lost when the focus moves to the canvas or another step.
 */
export function StepProperties({
  pipeline,
  step,
  issues,
  idDraft,
  dispatch,
}: {
  pipeline: Pipeline;
  step: Step;
  issues: readonly ValidationIssue[];
  /** An id typed for this step earlier and rejected, shown again until fixed or reverted. */
  idDraft?: string;
  dispatch: Dispatch<EditorAction>;
}) {
  const update = (patch: StepPatch) => dispatch({ type: 'updateStep', stepId: step.id, patch });
  const idCheck = idDraft === undefined ? undefined : renameStepId(pipeline, step.id, idDraft);
  const rejectedId = idDraft !== undefined && idCheck?.ok === false ? { text: idDraft, error: idCheck.message } : undefined;
  const script = scriptOf(step);
  const scriptRunner = script === undefined ? undefined : commandWithScript(step, 'SCRIPT').join(' ');

  const onRenameId = (newId: string) => {
    const result = renameStepId(pipeline, step.id, newId);
    if (!result.ok) return result.message;
    dispatch({ type: 'renameStep', stepId: step.id, newId });
    return undefined;
  };

  return (
    <PlaceholderTargetProvider>
      <div className="flex flex-col">
        <div className="flex items-center justify-between gap-2 px-4 py-3">
          <h2 className="text-sm font-semibold text-slate-900">Step properties</h2>
          <Button size="sm" variant="ghost" className="text-red-700" onClick={() => dispatch({ type: 'deleteElements', stepIds: [step.id], edgeIds: [] })}>
            Delete step
          </Button>
        </div>

        {issues.length > 0 ? (
          <div className="mx-4 mb-3 rounded border border-red-200 bg-red-50 p-2" role="group" aria-label="Problems in this step">
            <p className="text-xs font-semibold text-red-800">
              {issues.length} {issues.length === 1 ? 'problem' : 'problems'}
            </p>
            <ul className="mt-1 list-disc pl-4 text-xs text-red-800">
              {issues.map((issue, index) => (
                <li key={index}>{issue.message}</li>
              ))}
            </ul>
          </div>
        ) : null}

        <div className="flex flex-col gap-3 px-4 pb-3">
          <TextField label="Name" value={step.name} onChange={(name) => update({ name })} />
          <NameField
            label="Id"
            value={step.id}
            onRename={onRenameId}
            rejected={rejectedId}
            onRejectedChange={(text) => dispatch({ type: 'setStepIdDraft', stepId: step.id, draft: text ?? null })}
            hint="Renaming updates every binding and dependsOn that refers to this step."
          />
          <p className="text-xs text-slate-600">
            Kind: <span className="font-medium">{templateOf(step.kind).label}</span>
          </p>
          <TextField label="Image" value={step.image} onChange={(image) => update({ image })} monospace error={fieldError(issues, 'image')} />
          {script !== undefined ? (
            <TextAreaField
              label="Script"
              value={script}
              onChange={(text) => update({ command: commandWithScript(step, text) })}
              rows={Math.min(16, Math.max(4, script.split('\n').length + 1))}
              monospace
              acceptsPlaceholders
              hint={`Runs as \`${scriptRunner} ARGUMENTS…\`.`}
              error={fieldError(issues, 'command')}
            />
          ) : (
            <ArgvField label="Command" value={step.command} onChange={(command) => update({ command })} error={fieldError(issues, 'command')} />
          )}
          <ArgvField
            label="Arguments"
            value={step.args}
            onChange={(args) => update({ args })}
            hint={script === undefined ? undefined : scriptArgumentsHint(step)}
            error={fieldError(issues, 'args')}
          />
          <TextField
            label="Working directory"
            value={step.workingDir ?? ''}
            onChange={(workingDir) => update({ workingDir: workingDir === '' ? undefined : workingDir })}
            placeholder="(image default)"
            monospace
          />
        </div>

        <PanelSection title="Inputs">
          <InputsEditor pipeline={pipeline} step={step} dispatch={dispatch} />
        </PanelSection>
        <PanelSection title="Outputs">
          <OutputsEditor pipeline={pipeline} step={step} dispatch={dispatch} />
        </PanelSection>
        <PanelSection title="Environment">
          <EnvEditor step={step} dispatch={dispatch} />
        </PanelSection>
        <LimitsSection key={step.id} step={step} issues={issues} update={update} />
        <PanelSection title="Runs after">
          {step.dependsOn.length === 0 ? (
            <p className="text-xs text-slate-500">No order-only dependencies. Wire a grey order handle to add one.</p>
          ) : (
            <ul className="flex flex-col gap-1">
              {step.dependsOn.map((upstreamId) => (
                <li key={upstreamId} className="flex items-center justify-between text-xs">
                  <span className="font-mono">{upstreamId}</span>
                  <Button
                    size="sm"
                    variant="ghost"
                    aria-label={`Remove dependency on ${upstreamId}`}
                    onClick={() => update({ dependsOn: step.dependsOn.filter((id) => id !== upstreamId) })}
                  >
                    Remove
                  </Button>
                </li>
              ))}
            </ul>
          )}
        </PanelSection>
        <PanelSection title="Placeholders">
          <PlaceholderHelp step={step} dispatch={dispatch} />
        </PanelSection>
      </div>
    </PlaceholderTargetProvider>
  );
}
