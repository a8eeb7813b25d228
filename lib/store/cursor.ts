/**
 * Opaque page cursors for run listings: the insertion sequence number of the last run of the
 * previous page, base64url-encoded so clients treat it as a token.
 */
import { PipedeckError } from '../errors';

export function encodeCursor(seq: number): string {
  return Buffer.from(`runs:${seq}`).toString('base64url');
}

/** Decodes a cursor from a request; throws `invalid_request` for anything this module did not write. */
export function decodeCursor(text: string): number {
  const match = text.length <= 64 ? /^runs:(\d{1,15})$/.exec(Buffer.from(text, 'base64url').toString('utf8')) : null;
  if (!match?.[1]) {
    throw new PipedeckError('invalid_request', 'cursor is invalid; pass the nextCursor value from the previous page unchanged');
  }
  return Number(match[1]);
}
