'use client';

import { createContext, useCallback, useContext, useMemo, useRef, type ReactNode } from 'react';

/** The text field a placeholder from the help list goes into: the last one focused. */
export interface PlaceholderTarget {
  element: HTMLInputElement | HTMLTextAreaElement;
  /** Writes the field's new text to the pipeline, as the field's own onChange does. */
  apply: (value: string) => void;
}

type SetTarget = (target: PlaceholderTarget) => void;

const TargetContext = createContext<{ setTarget: SetTarget; insert: (token: string) => boolean } | null>(null);

/**
 * Remembers the last focused field that accepts placeholders, so a click in the placeholder help
 * (which moves focus to the button) still knows where the token goes.
 */
export function PlaceholderTargetProvider({ children }: { children: ReactNode }) {
  const targetRef = useRef<PlaceholderTarget | null>(null);

  const setTarget = useCallback<SetTarget>((target) => {
    targetRef.current = target;
  }, []);

  const insert = useCallback((token: string) => {
    const target = targetRef.current;
    if (!target || !target.element.isConnected) return false;

    const { element } = target;
    const start = element.selectionStart ?? element.value.length;
    const end = element.selectionEnd ?? start;
    target.apply(element.value.slice(0, start) + token + element.value.slice(end));

    // Put the caret after the token once React has written the new value into the field.
    requestAnimationFrame(() => {
      element.focus();
      element.setSelectionRange(start + token.length, start + token.length);
    });
    return true;
  }, []);

  const value = useMemo(() => ({ setTarget, insert }), [setTarget, insert]);
  return <TargetContext.Provider value={value}>{children}</TargetContext.Provider>;
}

/** Returns the function a field calls on focus to become the placeholder target. */
export function usePlaceholderTarget(): SetTarget {
  return useContext(TargetContext)?.setTarget ?? noop;
}

/** Returns the function that inserts a token at the caret of the target; false when there is none. */
export function useInsertPlaceholder(): (token: string) => boolean {
  return useContext(TargetContext)?.insert ?? never;
}

function noop(): void {}

function never(): boolean {
  return false;
}
