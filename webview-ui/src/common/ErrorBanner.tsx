import { Button } from './Button';
import { Icon } from './Icon';

/** An error in words a person can act on; role="alert" so screen readers announce it. */
export function ErrorBanner({ message, onDismiss }: { message: string; onDismiss?: () => void }) {
  return (
    <div role="alert" className="r-banner r-banner--error">
      <Icon name="error" />
      <span className="r-banner__text">{message}</span>
      {onDismiss && <Button variant="icon" icon="close" aria-label="Dismiss error" title="Dismiss" onClick={onDismiss} />}
    </div>
  );
}
