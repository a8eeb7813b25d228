import type { Metadata } from 'next';
import { Suspense } from 'react';

import { RunView } from '@/components/run/run-view';

interface RunPageProps {
  params: Promise<{ id: string }>;
}

export async function generateMetadata({ params }: RunPageProps): Promise<Metadata> {
  const { id } = await params;
  return { title: `Run ${id} · Pipedeck` };
}

export default async function RunPage({ params }: RunPageProps) {
  const { id } = await params;

  return (
    <Suspense fallback={<p className="p-6 text-sm text-slate-500">Loading run {id}…</p>}>
      <RunView runId={id} />
    </Suspense>
  );
}
