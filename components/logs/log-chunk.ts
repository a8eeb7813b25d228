/**
 * Line splitting for a log that arrives in chunks. A chunk may end in the middle of a line; that
 * partial line is kept until the rest of it (and its newline) arrives.
 */
import { parseLogLine, type LogLine } from './log-line';

/** Complete lines found in a chunk, and the unfinished tail to prepend to the next chunk. */
export interface SplitLogChunk {
  lines: string[];
  partial: string;
}

/**
 * Splits `partial + chunk` into complete lines, without their `\n` or `\r\n` endings, and returns
 * the text after the last newline as the new partial line.
 */
export function splitLogChunk(partial: string, chunk: string): SplitLogChunk {
  const text = partial + chunk;
  const pieces = text.split('\n');
  const rest = pieces.pop() ?? '';
  const lines = pieces.map((piece) => (piece.endsWith('\r') ? piece.slice(0, -1) : piece));
  return { lines, partial: rest };
}

/**
 * Turns the bytes of one attempt's log, fed in order, into parsed lines. UTF-8 characters split
 * across two chunks are decoded once both halves arrived.
 */
export class LogReader {
  private readonly decoder = new TextDecoder('utf-8');
  private partial = '';

  /** Feeds the next bytes and returns the lines they completed. */
  push(bytes: Uint8Array): LogLine[] {
    const text = this.decoder.decode(bytes, { stream: true });
    const split = splitLogChunk(this.partial, text);
    this.partial = split.partial;
    return split.lines.map(parseLogLine);
  }

  /**
   * Ends the log and returns its last line when it had no newline. Call it once the attempt has
   * finished and every byte was read.
   */
  end(): LogLine[] {
    const rest = this.partial + this.decoder.decode();
    this.partial = '';
    return rest === '' ? [] : [parseLogLine(rest)];
  }

  /** The unfinished last line held back so far. */
  get pendingText(): string {
    return this.partial;
  }
}
