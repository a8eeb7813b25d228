'use client';

import { useCallback, useEffect, useRef, useState, type Dispatch } from 'react';

import type { ValidationIssue } from '@/lib/pipeline/issues';
import type { PipelineRecord } from '@/lib/store/types';

import { hasUnsavedChanges, type EditorAction, type EditorState } from './editor-state';

/** State of the last save, for the toolbar and the banner under it. */
export type SaveStatus =
  | { kind: 'idle' }
  | { kind: 'saving' }
  | { kind: 'conflict'; message: string }
  | { kind: 'error'; message: string; issues: ValidationIssue[] };

interface ApiErrorBody {
  error?: { code?: string; message?: string; details?: unknown };
}

function pipelineUrl(pipelineId: string): string {
  return `/api/pipelines/${encodeURIComponent(pipelineId)}`;
}

/**
 * Saves and reloads the editor's pipeline. `save` PUTs the pipeline with the version it was based
 * on as `expectedVersion`, so a newer save by someone else comes back as a conflict instead of
 * being overwritten. `save({overwrite: true})` then saves over it on purpose.
 * `save` resolves to the saved version, or to null when the save failed (the status gives the reason).
 */
export function useSavePipeline(pipelineId: string, state: EditorState, dispatch: Dispatch<EditorAction>) {
  const [status, setStatus] = useState<SaveStatus>({ kind: 'idle' });
  const stateRef = useRef(state);
  const pendingRef = useRef<Promise<number | null> | null>(null);

  useEffect(() => {
    stateRef.current = state;
  }, [state]);

  const save = useCallback(
    (options: { overwrite?: boolean } = {}): Promise<number | null> => {
      if (pendingRef.current) return pendingRef.current;
      const current = stateRef.current;
      if (!hasUnsavedChanges(current) && !options.overwrite) return Promise.resolve(current.savedVersion);

      const request = (async (): Promise<number | null> => {
        setStatus({ kind: 'saving' });
        try {
          const body = options.overwrite ? { pipeline: current.pipeline } : { pipeline: current.pipeline, expectedVersion: current.savedVersion };
          const response = await fetch(pipelineUrl(pipelineId), {
            method: 'PUT',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          });
          const payload = (await response.json().catch(() => null)) as (PipelineRecord & ApiErrorBody) | null;

          if (response.ok && payload) {
            dispatch({ type: 'saved', version: payload.version, revision: current.revision });
            setStatus({ kind: 'idle' });
            return payload.version;
          }

          const message = payload?.error?.message ?? `the server returned HTTP ${response.status}`;
          if (response.status === 409) {
            setStatus({ kind: 'conflict', message });
          } else {
            const details = payload?.error?.details;
            const issues = Array.isArray(details) ? (details as ValidationIssue[]) : [];
            // With a list of issues, the message only repeats the first one.
            const summary = issues.length > 0 ? 'the server rejected the pipeline:' : message;
            setStatus({ kind: 'error', message: `Save failed: ${summary}`, issues });
          }
          return null;
        } catch {
          setStatus({ kind: 'error', message: 'Save failed: the server could not be reached. Your changes are still here; try again.', issues: [] });
          return null;
        } finally {
          pendingRef.current = null;
        }
      })();
      pendingRef.current = request;
      return request;
    },
    [pipelineId, dispatch],
  );

  /** Replaces the editor's pipeline with the latest stored version, dropping unsaved changes. */
  const reload = useCallback(async () => {
    try {
      const response = await fetch(pipelineUrl(pipelineId), { cache: 'no-store' });
      const payload = (await response.json().catch(() => null)) as (PipelineRecord & ApiErrorBody) | null;
      if (!response.ok || !payload) {
        setStatus({ kind: 'error', message: `Reload failed: ${payload?.error?.message ?? `HTTP ${response.status}`}`, issues: [] });
        return;
      }
      dispatch({ type: 'load', pipeline: payload.definition, version: payload.version });
      setStatus({ kind: 'idle' });
    } catch {
      setStatus({ kind: 'error', message: 'Reload failed: the server could not be reached.', issues: [] });
    }
  }, [pipelineId, dispatch]);

  const dismiss = useCallback(() => setStatus({ kind: 'idle' }), []);

  return { status, save, reload, dismiss };
}
