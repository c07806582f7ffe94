import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import { TriStateCheckbox } from '../review/diff/TriStateCheckbox';

describe('checkboxes', () => {
  it('says "mixed" for a partly chosen "All" box, checked and unchecked otherwise', () => {
    const { rerender } = render(<TriStateCheckbox state="some" label="Select all changes" onToggle={() => {}} />);
    const box = screen.getByRole('checkbox', { name: 'Select all changes' }) as HTMLInputElement;
    expect(box.indeterminate).toBe(true);
    expect(box.getAttribute('aria-checked')).toBe('mixed');
    rerender(<TriStateCheckbox state="all" label="Select all changes" onToggle={() => {}} />);
    expect(box.indeterminate).toBe(false);
    expect(box.checked).toBe(true);
    rerender(<TriStateCheckbox state="none" label="Select all changes" onToggle={() => {}} />);
    expect(box.checked).toBe(false);
    expect(box.getAttribute('aria-checked')).toBe('false');
  });
});
