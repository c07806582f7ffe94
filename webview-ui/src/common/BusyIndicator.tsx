import VscodeProgressRing from '@vscode-elements/react-elements/dist/components/VscodeProgressRing.js';

/**
 * Spinner plus words. The ring announces itself as role="alert" (assertive), which would interrupt
 * screen readers and match alert queries, so it is hidden and the text is a polite status.
 */
export function BusyIndicator({ label }: { label: string }) {
  return (
    <div role="status" className="r-busy">
      <VscodeProgressRing className="r-busy__ring" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}
