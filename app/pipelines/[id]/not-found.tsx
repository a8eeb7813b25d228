import Link from 'next/link';

export default function PipelineNotFound() {
  return (
    <div className="mx-auto mt-16 max-w-md text-center">
      <h1 className="text-lg font-semibold">Pipeline not found</h1>
      <p className="mt-1 text-sm text-slate-600">It may have been deleted. Its runs, if any, are still in the run history.</p>
      <Link href="/pipelines" className="mt-4 inline-block text-sm text-blue-700 hover:underline">
        Back to pipelines
      </Link>
    </div>
  );
}
