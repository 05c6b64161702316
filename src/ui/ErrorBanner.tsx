// The error banner: one plain message a person can act on, dismissable.
import { dismissError } from './controller';
import { useAppState } from './store';

export function ErrorBanner() {
  const error = useAppState((s) => s.error);
  if (!error) return null;
  return (
    <div className="error-banner" role="alert" data-testid="error-banner">
      <span className="error-text">{error}</span>
      <button type="button" className="dismiss" onClick={dismissError} aria-label="Dismiss error">
        ×
      </button>
    </div>
  );
}
