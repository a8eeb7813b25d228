'use client';

import type { Dispatch } from 'react';

import { Button } from '@/components/ui/button';
import { isSecretEnvVar, type EnvVar, type Step } from '@/lib/pipeline/schema';

import type { EditorAction } from './editor-state';
import { TextField } from './form-fields';

const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Rows for a step's environment variables: a value (placeholders allowed) or a reference to a key of
 * a Kubernetes secret, which Pipedeck passes to the pod without reading it.
 */
export function EnvEditor({ step, dispatch }: { step: Step; dispatch: Dispatch<EditorAction> }) {
  const setEnv = (env: EnvVar[]) => dispatch({ type: 'updateStep', stepId: step.id, patch: { env } });
  const replace = (index: number, variable: EnvVar) => setEnv(step.env.map((entry, at) => (at === index ? variable : entry)));

  return (
    <div className="flex flex-col gap-2">
      {step.env.length === 0 ? <p className="text-xs text-slate-500">No environment variables.</p> : null}
      {step.env.map((variable, index) => {
        const number = index + 1;
        const nameError =
          variable.name !== '' && !ENV_NAME_PATTERN.test(variable.name)
            ? 'Use a letter or "_" followed by letters, digits or "_".'
            : undefined;
        return (
          <div key={index} className="grid grid-cols-[1fr_1.4fr_auto] items-start gap-1">
            <TextField
              label="name"
              ariaLabel={`Environment variable ${number} name`}
              value={variable.name}
              onChange={(name) => replace(index, { ...variable, name })}
              error={nameError}
              monospace
            />
            {isSecretEnvVar(variable) ? (
              <div className="grid grid-cols-2 gap-1">
                <TextField
                  label="secret"
                  ariaLabel={`Environment variable ${number} secret name`}
                  value={variable.secret.name}
                  onChange={(name) => replace(index, { ...variable, secret: { ...variable.secret, name } })}
                  monospace
                />
                <TextField
                  label="key"
                  ariaLabel={`Environment variable ${number} secret key`}
                  value={variable.secret.key}
                  onChange={(key) => replace(index, { ...variable, secret: { ...variable.secret, key } })}
                  monospace
                />
              </div>
            ) : (
              <TextField
                label="value"
                ariaLabel={`Environment variable ${number} value`}
                value={variable.value}
                onChange={(value) => replace(index, { ...variable, value })}
                monospace
                acceptsPlaceholders
              />
            )}
            <Button
              size="sm"
              variant="ghost"
              className="mt-5"
              aria-label={`Remove environment variable ${number}`}
              onClick={() => setEnv(step.env.filter((_, at) => at !== index))}
            >
              ×
            </Button>
          </div>
        );
      })}
      <div className="flex gap-2">
        <Button size="sm" onClick={() => setEnv([...step.env, { name: '', value: '' }])}>
          Add environment variable
        </Button>
        <Button size="sm" onClick={() => setEnv([...step.env, { name: '', secret: { name: '', key: '' } }])}>
          Add secret reference
        </Button>
      </div>
    </div>
  );
}
