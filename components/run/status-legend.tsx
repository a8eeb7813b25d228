import { STEP_STATUSES } from '@/lib/engine/types';

import { STATUS_STYLES } from '@/components/ui/status-style';

/** Shows the colour of each step status over the run graph. */
export function StatusLegend() {
  return (
    <ul aria-label="Status legend" className="flex flex-wrap gap-x-3 gap-y-1 rounded-md border border-slate-200 bg-white/90 px-3 py-1.5 text-xs text-slate-700 shadow-sm">
      {STEP_STATUSES.map((status) => (
        <li key={status} className="flex items-center gap-1.5">
          <span className={`h-2.5 w-2.5 rounded-full ${STATUS_STYLES[status].dot}`} aria-hidden="true" />
          {STATUS_STYLES[status].label}
        </li>
      ))}
    </ul>
  );
}
