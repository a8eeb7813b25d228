import type { ButtonHTMLAttributes } from 'react';

/** Visual weight of a button: one primary action per view, danger for deletes. */
export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'ghost';

const VARIANT_CLASSES: Record<ButtonVariant, string> = {
  primary: 'border-blue-700 bg-blue-700 text-white hover:bg-blue-800 disabled:border-blue-300 disabled:bg-blue-300',
  secondary: 'border-slate-300 bg-white text-slate-800 hover:bg-slate-100 disabled:text-slate-400',
  danger: 'border-red-700 bg-red-700 text-white hover:bg-red-800 disabled:border-red-300 disabled:bg-red-300',
  ghost: 'border-transparent bg-transparent text-slate-700 hover:bg-slate-100 disabled:text-slate-400',
};

/** A button with the app's sizes and colours; `type` defaults to "button" so it never submits by accident. */
export function Button({
  variant = 'secondary',
  size = 'md',
  className = '',
  type = 'button',
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: ButtonVariant; size?: 'sm' | 'md' }) {
  const sizeClasses = size === 'sm' ? 'px-2 py-0.5 text-xs' : 'px-3 py-1.5 text-sm';
  return (
    <button
      type={type}
      className={`inline-flex items-center justify-center gap-1.5 rounded border font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600 disabled:cursor-not-allowed ${sizeClasses} ${VARIANT_CLASSES[variant]} ${className}`}
      {...props}
    />
  );
}
