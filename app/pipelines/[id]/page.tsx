import type { Metadata } from 'next';
import { notFound } from 'next/navigation';

import { PipelineEditor } from '@/components/editor/pipeline-editor';
import { isPipedeckError } from '@/lib/errors';
import { getPipeline } from '@/lib/server/pipelines-service';
import type { PipelineRecord } from '@/lib/store/types';

export const dynamic = 'force-dynamic';

type Params = { id: string };

/** Loads the pipeline, or renders the not-found page for an unknown id. */
function loadPipeline(id: string): PipelineRecord {
  try {
    return getPipeline(id);
  } catch (error) {
    if (isPipedeckError(error) && error.code === 'not_found') notFound();
    throw error;
  }
}

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const { id } = await params;
  try {
    return { title: `${getPipeline(id).name} · Pipedeck` };
  } catch {
    return { title: 'Pipeline · Pipedeck' };
  }
}

export default async function PipelineEditorPage({ params }: { params: Promise<Params> }) {
  const { id } = await params;
  const record = loadPipeline(id);

  // Keyed by version: after a save elsewhere and a navigation back, the editor starts from the new version.
  return <PipelineEditor key={`${record.id}:${record.version}`} pipelineId={record.id} version={record.version} definition={record.definition} />;
}
