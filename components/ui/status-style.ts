/**
 * Colours and labels of run and step statuses, shared by badges, graph nodes and the legend so a
 * status looks the same everywhere.
 */
import type { RunStatus, StepStatus } from '@/lib/engine/types';

/** Any status a run or a step can have. */
export type DisplayStatus = RunStatus | StepStatus;

/** Tailwind classes for one status. */
export interface StatusStyle {
  label: string;
  /** Badge: background, text and border colours. */
  badge: string;
  /** Graph node: border and background colours (and border style). */
  node: string;
  /** Small dot or legend swatch. */
  dot: string;
}

export const STATUS_STYLES: Record<DisplayStatus, StatusStyle> = {
  queued: {
    label: 'queued',
    badge: 'bg-slate-100 text-slate-700 border-slate-300',
    node: 'border-slate-300 bg-slate-50',
    dot: 'bg-slate-400',
  },
  pending: {
    label: 'pending',
    badge: 'bg-slate-100 text-slate-700 border-slate-300',
    node: 'border-slate-300 bg-slate-50',
    dot: 'bg-slate-400',
  },
  running: {
    label: 'running',
    badge: 'bg-blue-50 text-blue-800 border-blue-300',
    node: 'border-blue-500 bg-blue-50 shadow-[0_0_0_3px_rgba(59,130,246,0.25)]',
    dot: 'bg-blue-500 animate-pulse',
  },
  succeeded: {
    label: 'succeeded',
    badge: 'bg-green-50 text-green-800 border-green-300',
    node: 'border-green-600 bg-green-50',
    dot: 'bg-green-600',
  },
  failed: {
    label: 'failed',
    badge: 'bg-red-50 text-red-800 border-red-300',
    node: 'border-red-600 bg-red-50',
    dot: 'bg-red-600',
  },
  skipped: {
    label: 'skipped',
    badge: 'bg-white text-slate-500 border-dashed border-slate-300',
    node: 'border-dashed border-slate-300 bg-white text-slate-500',
    dot: 'border border-dashed border-slate-400 bg-white',
  },
  cancelled: {
    label: 'cancelled',
    badge: 'bg-amber-50 text-amber-800 border-amber-300',
    node: 'border-amber-500 bg-amber-50',
    dot: 'bg-amber-500',
  },
};
