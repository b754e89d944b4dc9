/**
 * The landing page: creates a room and hands out its moderator and presenter links.
 */

import './styles/base.css';
import './styles/landing.css';
import { createRoom } from './api';
import { absoluteLink, stagePath } from './links';
import { byId } from './ui/dom';
import { icon } from './ui/icons';

const form = byId<HTMLFormElement>('create-form');
const nameInput = byId<HTMLInputElement>('room-name');
const createButton = byId<HTMLButtonElement>('create-button');
const errorBox = byId('create-error');
const created = byId('created');
const announcer = byId('announcer');

byId('brand-mark').append(icon('stage'));
for (const button of document.querySelectorAll<HTMLButtonElement>('.copy-button')) {
  button.prepend(icon('copy'));
  button.addEventListener('click', () => void copyLink(button));
}

function showError(message: string): void {
  errorBox.textContent = message;
  errorBox.classList.toggle('visible', message !== '');
  nameInput.setAttribute('aria-invalid', message !== '' ? 'true' : 'false');
}

function formatExpiry(iso: string | null): string {
  if (iso === null) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return `The links work until ${date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}.`;
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  void submit();
});

async function submit(): Promise<void> {
  const name = nameInput.value.trim();
  if (name === '') {
    showError('Give the room a name.');
    nameInput.focus();
    return;
  }
  showError('');
  createButton.disabled = true;
  createButton.textContent = 'Creating…';
  const result = await createRoom(name, (input, init) => fetch(input, init));
  createButton.disabled = false;
  createButton.textContent = 'Create a room';
  if (!result.ok) {
    showError(
      result.code === 'unreachable'
        ? 'Cannot reach the Palco server. Check that it is running, then try again.'
        : `The room could not be created: ${result.message || result.code}`,
    );
    return;
  }
  const room = result.value;
  const origin = window.location.origin;
  const moderator = absoluteLink(room.links.moderator, origin);
  const presenter = absoluteLink(room.links.presenter, origin);
  byId<HTMLInputElement>('moderator-link').value = moderator;
  byId<HTMLInputElement>('presenter-link').value = presenter;
  const audienceLink = room.links.audience;
  byId('audience-row').hidden = audienceLink === undefined;
  byId<HTMLInputElement>('audience-link').value = audienceLink === undefined ? '' : absoluteLink(audienceLink, origin);
  byId('created-name').textContent = room.name;
  byId('expires').textContent = formatExpiry(room.expiresAt);
  byId<HTMLAnchorElement>('join-moderator').href = stagePath(moderator, origin);
  form.hidden = true;
  created.hidden = false;
  announcer.textContent = `Room ${room.name} created. The moderator, presenter and audience links are ready to copy.`;
  byId('created-title').focus();
}

async function copyLink(button: HTMLButtonElement): Promise<void> {
  const input = byId<HTMLInputElement>(button.dataset['copy'] ?? '');
  const label = button.querySelector('.copy-label');
  let copied = false;
  try {
    await navigator.clipboard.writeText(input.value);
    copied = true;
  } catch {
    // Clipboard access needs a secure context and focus; fall back to selecting the text.
    input.select();
    copied = document.execCommand('copy');
  }
  if (label !== null) label.textContent = copied ? 'Copied' : 'Press Ctrl+C';
  button.classList.toggle('copied', copied);
  button.querySelector('svg')?.replaceWith(icon(copied ? 'check' : 'copy'));
  announcer.textContent = copied ? `${input.getAttribute('aria-label') ?? 'Link'} copied.` : 'Select the link and copy it.';
  window.setTimeout(() => {
    if (label !== null) label.textContent = 'Copy';
    button.classList.remove('copied');
    button.querySelector('svg')?.replaceWith(icon('copy'));
  }, 2000);
}

byId('create-another').addEventListener('click', () => {
  created.hidden = true;
  form.hidden = false;
  nameInput.value = '';
  nameInput.focus();
});

nameInput.focus();
