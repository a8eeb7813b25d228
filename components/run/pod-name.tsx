'use client';

import { useState } from 'react';

import type { PodRef } from './pod-ref';

type CopyState = 'idle' | 'copied' | 'failed';

/**
 * "Pod <namespace>/<name>" with a button that copies the pod name, for `kubectl logs` or
 * `kubectl describe pod`. The clipboard needs a secure context (https or localhost), so where
 * copying fails the name stays selectable and a note asks the person to copy it by hand.
 */
export function PodName({ pod }: { pod: PodRef }) {
  const [copyState, setCopyState] = useState<CopyState>('idle');

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(pod.podName);
      setCopyState('copied');
    } catch {
      setCopyState('failed');
    }
  };

  return (
    <span className="flex flex-wrap items-center gap-2">
      <code className="break-all select-all" data-testid="pod-name">
        {pod.namespace}/{pod.podName}
      </code>
      <button
        type="button"
        onClick={copy}
        aria-label={`Copy pod name ${pod.podName}`}
        className="rounded border border-slate-300 px-1.5 py-0.5 text-[11px] text-slate-700 hover:bg-slate-100"
      >
        {copyState === 'copied' ? 'Copied' : 'Copy'}
      </button>
      {copyState === 'failed' ? (
        <span role="status" className="text-[11px] text-amber-800">
          Copying failed; select the name and copy it.
        </span>
      ) : null}
    </span>
  );
}
