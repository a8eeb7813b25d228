import type { Metadata } from 'next';

import { CreatePipelineButton } from '@/components/pipelines/create-pipeline-button';
import { PipelineTable } from '@/components/pipelines/pipeline-table';
import { listPipelines } from '@/lib/server/pipelines-service';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Pipelines · Pipedeck' };

export default function PipelinesPage() {
  const pipelines = listPipelines();

  return (
    <div className="mx-auto flex w-full max-w-6xl flex-col gap-4 p-6">
      <div className="flex items-center justify-between gap-4">
        <div>
          <h1 className="text-xl font-semibold">Pipelines</h1>
          <p className="text-sm text-slate-600">Build a pipeline on the canvas, then run it and watch its steps.</p>
        </div>
        <CreatePipelineButton />
      </div>
      <PipelineTable pipelines={pipelines} />
    </div>
  );
}
