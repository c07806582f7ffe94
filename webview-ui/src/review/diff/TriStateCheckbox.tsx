import { useEffect, useRef, type InputHTMLAttributes } from 'react';
import type { FileSelectionState } from './selection';

// A native checkbox (not <vscode-checkbox>, whose input lives in shadow DOM with no role on the
// host): Space toggles it, screen readers hear "mixed" through the indeterminate property, and
// tests/E2E find it with getByRole('checkbox', { name }).
export function TriStateCheckbox({ state, label, onToggle, ...rest }: { state: FileSelectionState; label: string; onToggle: () => void } & Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'checked' | 'onChange'>) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    // React has no prop for it: indeterminate exists only as a DOM property.
    if (ref.current) ref.current.indeterminate = state === 'some';
  }, [state]);
  return <input ref={ref} type="checkbox" className="r-checkbox" checked={state === 'all'} aria-checked={state === 'some' ? 'mixed' : state === 'all'} aria-label={label} onChange={onToggle} {...rest} />;
}
