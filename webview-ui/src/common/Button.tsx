import type { ButtonHTMLAttributes, Ref } from 'react';
import { Icon } from './Icon';

// Native <button> styled with VS Code's button variables: vscode-elements' <vscode-button> keeps
// its role on a form-associated custom element that happy-dom cannot construct (no
// attachInternals), and tests and the E2E run reach controls by role and name.
export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: 'primary' | 'secondary' | 'icon';
  icon?: string;
  ref?: Ref<HTMLButtonElement>;
}

export function Button({ variant = 'secondary', icon, className = '', children, type = 'button', ...rest }: ButtonProps) {
  return (
    <button type={type} className={`r-button r-button--${variant} ${className}`.trim()} {...rest}>
      {icon && <Icon name={icon} />}
      {children}
    </button>
  );
}
