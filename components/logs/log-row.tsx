import { memo, type CSSProperties } from 'react';

import { ansiToSegments, type LogSegment } from './ansi';
import { collapseCarriageReturns, type LogLine, type LogStream } from './log-line';
import { formatLogTime } from './log-time';

const streamClass: Record<LogStream, string> = {
  stdout: 'border-transparent',
  stderr: 'border-red-500/70 bg-red-950/50 text-red-100',
  system: 'border-sky-400/70 bg-sky-950/40 text-sky-200 italic',
};

function segmentStyle(segment: LogSegment): CSSProperties | undefined {
  if (!segment.color && !segment.background && !segment.bold && !segment.dim && !segment.italic && !segment.underline) {
    return undefined;
  }
  return {
    color: segment.color ?? undefined,
    backgroundColor: segment.background ?? undefined,
    fontWeight: segment.bold ? 600 : undefined,
    opacity: segment.dim ? 0.7 : undefined,
    fontStyle: segment.italic ? 'italic' : undefined,
    textDecoration: segment.underline ? 'underline' : undefined,
  };
}

interface LogRowProps {
  line: LogLine;
  /** 1-based line number shown in the gutter. */
  number: number;
  showTimestamp: boolean;
}

/** Renders one log line: number, local time (UTC on hover), and the text with its ANSI colours. */
export const LogRow = memo(function LogRow({ line, number, showTimestamp }: LogRowProps) {
  const segments = ansiToSegments(collapseCarriageReturns(line.text));

  return (
    <div className={`flex gap-3 border-l-2 px-2 ${streamClass[line.stream]}`} data-stream={line.stream}>
      <span className="w-12 shrink-0 select-none text-right text-slate-500" aria-hidden="true">
        {number}
      </span>
      {showTimestamp ? (
        <span className="w-[12ch] shrink-0 select-none text-slate-500" title={line.time ?? undefined}>
          {line.time ? formatLogTime(line.time) : null}
        </span>
      ) : null}
      {line.stream === 'system' ? (
        <span className="shrink-0 select-none not-italic text-sky-400" aria-label="Pipedeck message">
          ▸
        </span>
      ) : null}
      <span className="min-w-0 whitespace-pre-wrap [overflow-wrap:anywhere]">
        {segments.map((segment, index) => (
          <span key={index} style={segmentStyle(segment)}>
            {segment.text}
          </span>
        ))}
      </span>
    </div>
  );
});
