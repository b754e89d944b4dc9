/**
 * The audience page's main screen: the player, the pinned "now answering" question, the raised
 * hand and the stage invitation, and a side panel with the questions (ask, upvote) and the chat.
 * It renders from an {@link AudienceModel}; whatever the audience wrote goes in as text nodes.
 */

import type { ChatLine, HandState, Question } from '../audienceProtocol';
import { type AudienceModel, audienceQuestions, charCount, myUnlisted, secondsUntil } from '../qa';
import { KeyedList, h, replaceChildren } from '../ui/dom';
import { icon } from '../ui/icons';
import { Player } from './player';

export interface AudienceActions {
  ask(text: string, name: string): Promise<string | null>;
  vote(questionId: string, up: boolean): Promise<string | null>;
  chat(text: string, name: string): Promise<string | null>;
  raiseHand(raised: boolean, name: string): Promise<string | null>;
  acceptInvite(): void;
  declineInvite(): void;
}

export interface InviteInfo {
  expiresAt: string;
  by?: string;
}

const NAME_KEY = 'palco.name';

function storedName(): string {
  try {
    return window.localStorage.getItem(NAME_KEY) ?? '';
  } catch {
    return '';
  }
}

function storeName(name: string): void {
  try {
    if (name !== '') window.localStorage.setItem(NAME_KEY, name);
  } catch {
    // Storage may be refused; the name is a convenience.
  }
}

type SideTab = 'questions' | 'chat';

export class AudienceView {
  readonly element: HTMLElement;
  readonly player = new Player();
  private readonly model: AudienceModel;
  private readonly actions: AudienceActions;
  private readonly title: HTMLElement;
  private readonly handButton: HTMLButtonElement;
  private readonly pinned: HTMLElement;
  private readonly inviteCard: HTMLElement;
  private readonly inviteText: HTMLElement;
  private readonly questionList: HTMLElement;
  private readonly mineList: HTMLElement;
  private readonly mineHead: HTMLElement;
  private readonly chatList: HTMLElement;
  private readonly chatOff: HTMLElement;
  private readonly questionInput: HTMLTextAreaElement;
  private readonly nameInput: HTMLInputElement;
  private readonly askButton: HTMLButtonElement;
  private readonly askHint: HTMLElement;
  private readonly askError: HTMLElement;
  private readonly chatInput: HTMLInputElement;
  private readonly chatButton: HTMLButtonElement;
  private readonly chatError: HTMLElement;
  private readonly tabs: Record<SideTab, HTMLButtonElement>;
  private readonly panes: Record<SideTab, HTMLElement>;
  private readonly questionItems: KeyedList<Question>;
  private readonly mineItems: KeyedList<Question>;
  private readonly chatItems: KeyedList<ChatLine>;
  private tab: SideTab = 'questions';
  private limits = { questionChars: 280, chatChars: 300, nameChars: 40 };
  private invite: InviteInfo | null = null;
  private renderedVersion = -1;
  private connected = false;

  constructor(model: AudienceModel, actions: AudienceActions) {
    this.model = model;
    this.actions = actions;
    this.title = h('h1', { 'data-testid': 'audience-room-name' });
    this.handButton = h(
      'button',
      { type: 'button', class: 'btn hand-button', 'data-testid': 'raise-hand', 'aria-pressed': 'false', onclick: () => void this.toggleHand() },
      icon('hand'),
      h('span', {}, 'Raise hand'),
    );
    this.pinned = h('section', { class: 'audience-pinned', 'data-testid': 'audience-pinned', 'aria-live': 'polite', hidden: true });
    this.inviteText = h('p', { 'data-testid': 'invite-text' });
    this.inviteCard = h(
      'section',
      { class: 'invite-card', 'data-testid': 'invite-card', role: 'alertdialog', 'aria-labelledby': 'invite-title', hidden: true },
      h('h2', { id: 'invite-title' }, 'You’re invited on stage'),
      this.inviteText,
      h(
        'div',
        { class: 'invite-actions' },
        h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'accept-invite', onclick: () => this.actions.acceptInvite() }, icon('video'), 'Check camera and join'),
        h('button', { type: 'button', class: 'btn btn-ghost', 'data-testid': 'decline-invite', onclick: () => this.actions.declineInvite() }, 'Not now'),
      ),
    );

    this.questionList = h('ol', { class: 'panel-list', 'data-testid': 'audience-questions', 'aria-label': 'Questions, most votes first' });
    this.mineHead = h('h3', { class: 'panel-subhead' }, 'Your questions waiting for the moderator');
    this.mineList = h('ol', { class: 'panel-list', 'data-testid': 'my-questions' });
    this.chatList = h('ol', { class: 'panel-list chat-list', 'data-testid': 'audience-chat', 'aria-label': 'Chat' });
    this.chatOff = h('p', { class: 'panel-empty', 'data-testid': 'chat-off', hidden: true }, 'The moderator has switched the chat off.');
    const cardSig = (q: Question): string =>
      `${q.votes}|${q.state}|${this.model.myVotes.has(q.id)}|${this.model.mine.has(q.id)}|${q.name}|${q.text}`;
    this.questionItems = new KeyedList(this.questionList, (q) => q.id, cardSig, (q) => this.card(q));
    this.mineItems = new KeyedList(this.mineList, (q) => q.id, cardSig, (q) => this.card(q));
    this.chatItems = new KeyedList(
      this.chatList,
      (c) => c.id,
      () => '',
      (c) =>
        h('li', { class: 'chat-line', 'data-testid': 'chat-line', 'data-message-id': c.id }, h('span', { class: 'chat-name', 'data-testid': 'chat-name' }, c.name), h('span', { class: 'chat-text', 'data-testid': 'chat-text' }, c.text)),
    );

    this.nameInput = h('input', {
      class: 'input',
      type: 'text',
      id: 'asker-name',
      maxlength: 40,
      autocomplete: 'name',
      placeholder: 'Your name (optional)',
      'aria-label': 'Your name, shown with your questions and messages (optional)',
      'data-testid': 'asker-name',
    });
    this.nameInput.value = storedName();
    this.questionInput = h('textarea', {
      class: 'input',
      id: 'question-input',
      rows: 3,
      placeholder: 'Ask the speakers a question…',
      'aria-label': 'Your question',
      'aria-describedby': 'ask-hint ask-error',
      'data-testid': 'question-input',
    });
    this.askHint = h('span', { class: 'compose-hint', id: 'ask-hint', 'data-testid': 'ask-hint' });
    this.askError = h('p', { class: 'compose-error', id: 'ask-error', role: 'alert', 'data-testid': 'ask-error' });
    this.askButton = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'ask-button' }, icon('send', 'icon icon-s'), 'Ask');
    const askForm = h(
      'form',
      { class: 'compose', novalidate: true },
      this.questionInput,
      h('div', { class: 'compose-row' }, this.nameInput, this.askButton),
      this.askHint,
      this.askError,
    );
    askForm.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.ask();
    });
    this.questionInput.addEventListener('input', () => this.renderHint());
    this.questionInput.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        void this.ask();
      }
    });

    this.chatInput = h('input', {
      class: 'input',
      type: 'text',
      id: 'chat-input',
      placeholder: 'Say something…',
      'aria-label': 'Chat message',
      'aria-describedby': 'chat-error',
      autocomplete: 'off',
      'data-testid': 'chat-input',
    });
    this.chatButton = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'chat-send', 'aria-label': 'Send message' }, icon('send', 'icon icon-s'));
    this.chatError = h('p', { class: 'compose-error', id: 'chat-error', role: 'alert', 'data-testid': 'chat-error' });
    const chatForm = h('form', { class: 'compose', novalidate: true }, h('div', { class: 'compose-row' }, this.chatInput, this.chatButton), this.chatError);
    chatForm.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.sendChat();
    });

    const tab = (id: SideTab, label: string): HTMLButtonElement =>
      h(
        'button',
        {
          type: 'button',
          role: 'tab',
          id: `side-tab-${id}`,
          class: 'panel-tab',
          'aria-controls': `side-${id}`,
          'data-testid': `side-tab-${id}`,
          onclick: () => this.select(id, true),
          onkeydown: (event: Event) => {
            const key = (event as KeyboardEvent).key;
            if (key === 'ArrowRight' || key === 'ArrowLeft') {
              event.preventDefault();
              this.select(this.tab === 'questions' ? 'chat' : 'questions', true);
            }
          },
        },
        icon(id === 'questions' ? 'question' : 'chat', 'icon icon-s'),
        h('span', {}, label),
      );
    this.tabs = { questions: tab('questions', 'Q&A'), chat: tab('chat', 'Chat') };
    this.panes = {
      questions: h(
        'section',
        { class: 'side-pane', id: 'side-questions', role: 'tabpanel', 'aria-labelledby': 'side-tab-questions' },
        h('div', { class: 'panel-pane', tabindex: '0' }, this.mineHead, this.mineList, this.questionList),
        askForm,
      ),
      chat: h(
        'section',
        { class: 'side-pane', id: 'side-chat', role: 'tabpanel', 'aria-labelledby': 'side-tab-chat' },
        h('div', { class: 'panel-pane', tabindex: '0' }, this.chatOff, this.chatList),
        chatForm,
      ),
    };

    this.element = h(
      'div',
      { class: 'audience-layout', 'data-testid': 'audience-layout' },
      h(
        'section',
        { class: 'watch', 'aria-label': 'The stream' },
        this.player.element,
        h('div', { class: 'watch-head' }, this.title, this.handButton),
        this.inviteCard,
        this.pinned,
      ),
      h(
        'aside',
        { class: 'side', 'aria-label': 'Questions and chat' },
        h('div', { class: 'panel-tabs', role: 'tablist', 'aria-label': 'Questions and chat' }, this.tabs.questions, this.tabs.chat),
        this.panes.questions,
        this.panes.chat,
      ),
    );
    this.select('questions', false);
    this.renderHint();
    window.setInterval(() => this.renderInvite(), 1000);
  }

  setRoomName(name: string): void {
    this.title.textContent = name;
    this.player.setRoomName(name);
  }

  setLimits(limits: { questionChars: number; chatChars: number; nameChars: number }): void {
    this.limits = limits;
    this.nameInput.maxLength = limits.nameChars;
    this.renderHint();
  }

  setConnected(connected: boolean): void {
    this.connected = connected;
    this.askButton.disabled = !connected;
    this.chatButton.disabled = !connected || !this.model.chatEnabled;
    this.handButton.disabled = !connected;
  }

  setInvite(invite: InviteInfo | null): void {
    this.invite = invite;
    this.renderInvite();
    if (invite !== null) this.inviteCard.querySelector<HTMLElement>('[data-testid=accept-invite]')?.focus();
  }

  private select(tab: SideTab, focus: boolean): void {
    this.tab = tab;
    for (const id of ['questions', 'chat'] as SideTab[]) {
      this.tabs[id].setAttribute('aria-selected', String(id === tab));
      this.tabs[id].tabIndex = id === tab ? 0 : -1;
      this.panes[id].hidden = id !== tab;
    }
    if (focus) this.tabs[tab].focus();
  }

  /** Re-renders from the model when it changed. */
  render(): void {
    if (this.model.version === this.renderedVersion) return;
    this.renderedVersion = this.model.version;
    const m = this.model;
    this.player.setStream(m.stream);

    const pinned = m.pinned;
    this.pinned.hidden = pinned === null;
    if (pinned !== null) {
      replaceChildren(
        this.pinned,
        h('span', { class: 'pinned-label' }, icon('pin', 'icon icon-s'), 'Now answering'),
        h('span', { class: 'pinned-text', 'data-testid': 'audience-pinned-text' }, pinned.text),
        h('span', { class: 'pinned-who', 'data-testid': 'audience-pinned-name' }, `— ${pinned.name}`),
      );
      this.pinned.dataset['questionId'] = pinned.id;
    }

    this.questionItems.render(audienceQuestions(m), 'No questions yet. Be the first to ask.');
    const mine = myUnlisted(m);
    this.mineHead.hidden = mine.length === 0;
    this.mineList.hidden = mine.length === 0;
    this.mineItems.render(mine);

    this.chatOff.hidden = m.chatEnabled;
    this.chatInput.disabled = !m.chatEnabled;
    this.chatButton.disabled = !m.chatEnabled || !this.connected;
    this.chatItems.render(m.chat, m.chatEnabled ? 'No messages yet. Say hello.' : undefined);
    this.chatList.lastElementChild?.scrollIntoView({ block: 'nearest' });
    this.renderHand(m.hand);
  }

  private card(q: Question): HTMLElement {
    const mine = this.model.mine.has(q.id);
    const voted = this.model.myVotes.has(q.id);
    const open = q.state === 'approved' && !mine;
    const vote = h(
      'button',
      {
        type: 'button',
        class: 'vote-button',
        'data-testid': 'vote-button',
        'aria-pressed': String(voted),
        disabled: !open,
        'aria-label': mine ? `Your question has ${q.votes} votes` : voted ? `Take back your vote (${q.votes} votes)` : `Upvote (${q.votes} votes)`,
        onclick: () => void this.vote(q.id, !voted),
      },
      icon('up', 'icon icon-s'),
      h('span', { 'data-testid': 'vote-count' }, String(q.votes)),
    );
    const note =
      q.state === 'pending' ? 'Waiting for the moderator' : q.state === 'hidden' ? 'Not shown to others' : q.state === 'answered' ? 'Answered' : mine ? 'Your question' : '';
    return h(
      'li',
      { class: 'question-card', 'data-testid': 'audience-question', 'data-question-id': q.id, 'data-state': q.state },
      vote,
      h('div', { class: 'question-meta' }, h('span', { class: 'who', 'data-testid': 'question-name' }, q.name), note !== '' ? h('span', { class: 'mine-note' }, note) : null),
      h('p', { class: 'question-text', 'data-testid': 'question-text' }, q.text),
    );
  }

  private renderHand(state: HandState): void {
    const up = state !== 'down';
    this.handButton.setAttribute('aria-pressed', String(up));
    this.handButton.dataset['state'] = state;
    const label = state === 'on-stage' ? 'On stage' : state === 'invited' ? 'Invited' : up ? 'Lower hand' : 'Raise hand';
    const text = this.handButton.querySelector('span');
    if (text !== null) text.textContent = label;
    this.handButton.title = up ? 'Your hand is up: the moderator may invite you on stage' : 'Ask to speak on stage';
  }

  private renderInvite(): void {
    const invite = this.invite;
    this.inviteCard.hidden = invite === null;
    if (invite === null) return;
    const left = secondsUntil(invite.expiresAt, Date.now());
    this.inviteText.textContent = `${invite.by !== undefined && invite.by !== '' ? `${invite.by} invites you` : 'The moderator invites you'} to speak. You check your camera and microphone first. The invitation lasts ${left} more seconds.`;
  }

  private renderHint(): void {
    const n = charCount(this.questionInput.value);
    const left = this.limits.questionChars - n;
    this.askHint.textContent = left >= 0 ? `${left} characters left` : `${-left} characters too many`;
    this.askHint.dataset['over'] = String(left < 0);
  }

  private name(): string {
    const name = this.nameInput.value.trim();
    storeName(name);
    return name;
  }

  private async ask(): Promise<void> {
    const text = this.questionInput.value.trim();
    if (text === '') {
      this.askError.textContent = 'Write your question first.';
      this.questionInput.focus();
      return;
    }
    this.askButton.disabled = true;
    const error = await this.actions.ask(text, this.name());
    this.askButton.disabled = !this.connected;
    this.askError.textContent = error ?? '';
    if (error === null) {
      this.questionInput.value = '';
      this.renderHint();
    }
  }

  private async vote(questionId: string, up: boolean): Promise<void> {
    const error = await this.actions.vote(questionId, up);
    this.askError.textContent = error ?? '';
  }

  private async sendChat(): Promise<void> {
    const text = this.chatInput.value.trim();
    if (text === '') return;
    this.chatButton.disabled = true;
    const error = await this.actions.chat(text, this.name());
    this.chatButton.disabled = !this.connected || !this.model.chatEnabled;
    this.chatError.textContent = error ?? '';
    if (error === null) this.chatInput.value = '';
    this.chatInput.focus();
  }

  private async toggleHand(): Promise<void> {
    const state = this.model.hand;
    if (state === 'on-stage') return;
    const error = await this.actions.raiseHand(state === 'down', this.name());
    if (error !== null) this.askError.textContent = error;
  }

  /** Forces the next render (after this viewer's own state changed outside the model's updates). */
  invalidate(): void {
    this.renderedVersion = -1;
  }
}
