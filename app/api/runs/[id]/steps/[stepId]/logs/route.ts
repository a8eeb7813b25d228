/**
 * GET /api/runs/:id/steps/:stepId/logs?attempt=&offset=&follow=1 returns a step's log as text, one
 * line per entry: `<ISO time> <stdout|stderr|system> <text>`.
 *
 * Headers: `x-log-offset` is the byte offset to pass as `offset` next time (with follow, the offset
 * the stream starts at). `x-attempt` is the attempt read and `x-attempt-finished` whether it has
 * ended. `x-log-size` is the file size at read time and `x-step-status` the step's status. A poller has the
 * whole log once `x-attempt-finished` is true and `x-log-offset` equals `x-log-size`. With `follow=1`
 * the body streams as the log grows and ends once the attempt has ended and the file is read.
 */
import { z } from 'zod';

import { withApi } from '@/lib/server/api';
import { followStepLog } from '@/lib/server/log-follow';
import { readStepLog, resolveStepLog } from '@/lib/server/logs-service';

export const dynamic = 'force-dynamic';

const logQuerySchema = z.object({
  attempt: z.coerce.number().int().min(1).optional(),
  offset: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  follow: z.enum(['0', '1', 'true', 'false']).optional(),
});

const TEXT_HEADERS = {
  'content-type': 'text/plain; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

export const GET = withApi<{ id: string; stepId: string }>(async (request, { params }) => {
  const { id: runId, stepId } = await params;
  const searchParams = new URL(request.url).searchParams;
  const query = logQuerySchema.parse({
    attempt: searchParams.get('attempt') || undefined,
    offset: searchParams.get('offset') || undefined,
    follow: searchParams.get('follow') || undefined,
  });
  const address = { runId, stepId, attempt: query.attempt };

  if (query.follow === '1' || query.follow === 'true') {
    const { step, attempt } = resolveStepLog(address);
    const stream = await followStepLog({ ...address, offset: query.offset, signal: request.signal });
    return new Response(stream, {
      headers: {
        ...TEXT_HEADERS,
        'x-log-offset': String(query.offset),
        'x-attempt': attempt ? String(attempt.number) : '',
        'x-attempt-finished': String(attempt !== undefined && attempt.status !== 'running'),
        'x-step-status': step.status,
        // Reverse proxies such as nginx would otherwise hold the stream back in their buffer.
        'x-accel-buffering': 'no',
      },
    });
  }

  const chunk = await readStepLog({ ...address, offset: query.offset });
  return new Response(new Uint8Array(chunk.bytes), {
    headers: {
      ...TEXT_HEADERS,
      'x-log-offset': String(chunk.nextOffset),
      'x-log-size': String(chunk.size),
      'x-attempt': chunk.attempt === null ? '' : String(chunk.attempt),
      'x-attempt-finished': String(chunk.finished),
      'x-step-status': chunk.stepStatus,
    },
  });
});
