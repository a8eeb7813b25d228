/**
 * ANSI escape codes in log text turned into styled text segments, rendered as React text nodes so
 * log content is never interpreted as HTML.
 */
import Anser from 'anser';

/** A run of log text with one style. Colours are CSS colour values, or null for the default. */
export interface LogSegment {
  text: string;
  color: string | null;
  background: string | null;
  bold: boolean;
  dim: boolean;
  italic: boolean;
  underline: boolean;
}

function cssColor(rgb: string | null | undefined): string | null {
  return rgb ? `rgb(${rgb})` : null;
}

/**
 * Splits a line into segments by its SGR codes (colours and bold, dim, italic, underline). Other
 * escape sequences, such as cursor movement, are dropped. Each call starts with the default style,
 * so a colour left open at the end of one line does not carry over to the next.
 */
export function ansiToSegments(text: string): LogSegment[] {
  // Plain lines are the common case and need no parsing.
  if (!text.includes('\u001b')) {
    return text === '' ? [] : [plainSegment(text)];
  }

  return Anser.ansiToJson(text, { remove_empty: true }).map((entry) => {
    const decorations = entry.decorations ?? [];
    return {
      text: entry.content,
      // Without `use_classes`, anser puts every colour (16, 256 and true colour) into fg/bg as
      // "r, g, b"; its *_truecolor fields are only filled in class mode.
      color: cssColor(entry.fg),
      background: cssColor(entry.bg),
      bold: decorations.includes('bold'),
      dim: decorations.includes('dim'),
      italic: decorations.includes('italic'),
      underline: decorations.includes('underline'),
    };
  });
}

function plainSegment(text: string): LogSegment {
  return { text, color: null, background: null, bold: false, dim: false, italic: false, underline: false };
}

/** Removes every ANSI escape sequence, e.g. for copying or searching log text. */
export function stripAnsi(text: string): string {
  return text.includes('\u001b') ? Anser.ansiToText(text) : text;
}
