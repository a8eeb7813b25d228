/**
 * Label box of graph edges in the editor and the run view: padded and filled, so a label sits on a
 * patch of its own instead of reading like text struck through by the line.
 */
export const EDGE_LABEL_STYLE = {
  labelShowBg: true,
  labelBgPadding: [5, 3] as [number, number],
  labelBgBorderRadius: 4,
} as const;
