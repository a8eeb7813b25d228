import { STATUS_STYLES, type DisplayStatus } from './status-style';

/** Shows a run or step status as a coloured pill with its name, e.g. "running". */
export function StatusBadge({ status, className = '' }: { status: DisplayStatus; className?: string }) {
  const style = STATUS_STYLES[status];

  return (
    <span
      data-status={status}
      className={`inline-flex items-center gap-1.5 rounded-full border px-2 py-0.5 text-xs font-medium ${style.badge} ${className}`}
    >
      <span className={`h-1.5 w-1.5 rounded-full ${style.dot}`} aria-hidden="true" />
      {style.label}
    </span>
  );
}
