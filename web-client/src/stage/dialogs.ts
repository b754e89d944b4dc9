/**
 * Confirmation dialogs on the native <dialog>, which traps focus, closes on Escape and returns
 * focus to the button that opened it.
 */

import { h } from '../ui/dom';

export interface ConfirmSpec {
  title: string;
  text: string;
  confirmLabel: string;
  danger?: boolean;
  /** Asks for a reason (shown to the other person) when set; the value is its label. */
  reasonLabel?: string;
  testId?: string;
}

export interface ConfirmResult {
  confirmed: boolean;
  reason: string;
}

export function confirmDialog(spec: ConfirmSpec): Promise<ConfirmResult> {
  return new Promise((resolve) => {
    const reason = h('input', { id: 'dialog-reason', class: 'input', type: 'text', maxlength: 200, 'data-testid': 'dialog-reason' });
    const dialog = h(
      'dialog',
      { class: 'modal', 'aria-labelledby': 'dialog-title', 'aria-describedby': 'dialog-text', 'data-testid': spec.testId ?? 'dialog' },
      h(
        'form',
        { method: 'dialog', class: 'modal-form' },
        h('h2', { id: 'dialog-title' }, spec.title),
        h('p', { id: 'dialog-text' }, spec.text),
        spec.reasonLabel !== undefined ? h('div', { class: 'field' }, h('label', { for: 'dialog-reason' }, spec.reasonLabel), reason) : null,
        h(
          'div',
          { class: 'modal-actions' },
          h('button', { type: 'submit', value: 'cancel', class: 'btn btn-ghost', 'data-testid': 'dialog-cancel' }, 'Cancel'),
          h(
            'button',
            { type: 'submit', value: 'confirm', class: `btn ${spec.danger === true ? 'btn-danger' : 'btn-primary'}`, 'data-testid': 'dialog-confirm' },
            spec.confirmLabel,
          ),
        ),
      ),
    );
    dialog.addEventListener('close', () => {
      resolve({ confirmed: dialog.returnValue === 'confirm', reason: reason.value.trim() });
      dialog.remove();
    });
    document.body.append(dialog);
    dialog.showModal();
    if (spec.reasonLabel !== undefined) reason.focus();
  });
}
