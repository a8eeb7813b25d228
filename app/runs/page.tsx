import type { Metadata } from 'next';
import { Suspense } from 'react';

import { RunsHistory } from '@/components/run/runs-history';

export const metadata: Metadata = { title: 'Runs · Pipedeck' };

export default function RunsPage() {
  return (
    <div className="min-h-0 flex-1 overflow-y-auto">
      <Suspense fallback={<p className="p-6 text-sm text-slate-500">Loading runs…</p>}>
        <RunsHistory />
      </Suspense>
    </div>
  );
}
