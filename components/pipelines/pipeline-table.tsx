import Link from 'next/link';

import { StatusBadge } from '@/components/ui/status-badge';
import type { PipelineSummary } from '@/lib/store/types';

import { ClientTime, ClientTimeZone } from './client-time';
import { PipelineRowActions } from './pipeline-row-actions';

/** The pipelines table: one row per pipeline with its latest version and last run. */
export function PipelineTable({ pipelines }: { pipelines: PipelineSummary[] }) {
  if (pipelines.length === 0) {
    return (
      <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-12 text-center">
        <p className="font-medium text-slate-800">No pipelines yet</p>
        <p className="mt-1 text-sm text-slate-600">
          Create one with <span className="font-medium">New pipeline</span>, then drag steps onto the canvas and wire them.
        </p>
      </div>
    );
  }

  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-left text-sm">
        <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-4 py-2 font-medium">Name</th>
            <th scope="col" className="px-4 py-2 font-medium">Steps</th>
            <th scope="col" className="px-4 py-2 font-medium">Version</th>
            <th scope="col" className="px-4 py-2 font-medium whitespace-nowrap">
              Updated <ClientTimeZone className="normal-case tracking-normal" />
            </th>
            <th scope="col" className="px-4 py-2 font-medium whitespace-nowrap">Last run</th>
            <th scope="col" className="px-4 py-2 text-right font-medium">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {pipelines.map((pipeline) => (
            <tr key={pipeline.id} className="align-top hover:bg-slate-50">
              {/*
                w-full with max-w-0 gives the name the width the other columns leave and no more, so a
                long name is cut with an ellipsis instead of pushing the actions out of the table.
              */}
              <th scope="row" className="w-full max-w-0 px-4 py-2 font-normal">
                <Link href={`/pipelines/${pipeline.id}`} className="block truncate font-medium text-blue-700 hover:underline" title={pipeline.name}>
                  {pipeline.name}
                </Link>
                {pipeline.description ? (
                  <p className="mt-0.5 line-clamp-2 text-xs [overflow-wrap:anywhere] text-slate-600" title={pipeline.description}>
                    {pipeline.description}
                  </p>
                ) : null}
              </th>
              <td className="px-4 py-2 tabular-nums">{pipeline.stepCount}</td>
              <td className="px-4 py-2 whitespace-nowrap tabular-nums">v{pipeline.version}</td>
              <td className="px-4 py-2 whitespace-nowrap text-slate-700">
                <ClientTime iso={pipeline.updatedAt} />
              </td>
              <td className="px-4 py-2 whitespace-nowrap">
                {pipeline.lastRun ? (
                  <Link href={`/runs/${pipeline.lastRun.id}`} className="inline-flex items-center gap-2 hover:underline" aria-label={`Last run: ${pipeline.lastRun.status}`}>
                    <StatusBadge status={pipeline.lastRun.status} />
                    <ClientTime iso={pipeline.lastRun.createdAt} className="text-xs text-slate-600" />
                  </Link>
                ) : (
                  <span className="text-xs text-slate-500">never run</span>
                )}
              </td>
              <td className="px-4 py-2">
                <PipelineRowActions pipeline={pipeline} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
