/**
 * The moderator's audience panel beside the stage: the question queue (approve, hide, pin as
 * "now answering", mark answered, ban the asker), raised hands (invite on stage, lower, send a
 * guest back), the audience chat with its on/off switch, and the viewer count. Everything the
 * audience wrote is put in as text nodes, never as markup.
 */

import type { ChatLine, Question, RaisedHand } from '../audienceProtocol';
import { handsInOrder, moderatorQueue, secondsUntil } from '../qa';
import { KeyedList, h, replaceChildren } from '../ui/dom';
import { type IconName, icon } from '../ui/icons';
import { confirmDialog } from './dialogs';
import type { StageSession } from './session';

type Tab = 'questions' | 'hands' | 'chat';

const STATE_LABELS: Record<Question['state'], string> = {
  pending: 'Waiting',
  approved: 'Live',
  answered: 'Answered',
  hidden: 'Hidden',
};

function actionButton(label: string, iconName: IconName, testId: string, run: () => void, extra = ''): HTMLButtonElement {
  return h(
    'button',
    { type: 'button', class: `btn btn-small btn-ghost panel-action ${extra}`, 'data-testid': testId, title: label, onclick: run },
    icon(iconName, 'icon icon-s'),
    h('span', { class: 'panel-action-label' }, label),
  );
}

export class AudiencePanel {
  readonly element: HTMLElement;
  private readonly session: StageSession;
  private readonly viewers: HTMLElement;
  private readonly tabs: Record<Tab, HTMLButtonElement>;
  private readonly panes: Record<Tab, HTMLElement>;
  private readonly queue: HTMLElement;
  private readonly hands: HTMLElement;
  private readonly guests: HTMLElement;
  private readonly chat: HTMLElement;
  private readonly chatToggle: HTMLButtonElement;
  private readonly queueItems: KeyedList<Question>;
  private readonly handItems: KeyedList<RaisedHand>;
  private readonly chatItems: KeyedList<ChatLine>;
  private tab: Tab = 'questions';
  private renderedVersion = -1;
  private renderedGuests = '';
  private readonly countdown: number;

  constructor(session: StageSession) {
    this.session = session;
    this.viewers = h('span', { class: 'viewer-count', 'data-testid': 'viewer-count', role: 'status' });
    const tab = (id: Tab, label: string): HTMLButtonElement =>
      h(
        'button',
        {
          type: 'button',
          role: 'tab',
          id: `panel-tab-${id}`,
          class: 'panel-tab',
          'aria-controls': `panel-${id}`,
          'data-testid': `panel-tab-${id}`,
          onclick: () => this.select(id),
          onkeydown: (event: Event) => this.onTabKey(event as KeyboardEvent),
        },
        h('span', {}, label),
        h('span', { class: 'panel-badge', 'data-badge': id }),
      );
    this.tabs = { questions: tab('questions', 'Questions'), hands: tab('hands', 'Hands'), chat: tab('chat', 'Chat') };
    this.queue = h('ol', { class: 'panel-list', 'data-testid': 'question-queue', 'aria-label': 'Questions, waiting ones first, by votes' });
    this.hands = h('ol', { class: 'panel-list', 'data-testid': 'hands-list', 'aria-label': 'Raised hands' });
    this.guests = h('ul', { class: 'panel-list', 'data-testid': 'guests-list', 'aria-label': 'Guests on stage' });
    this.chat = h('ol', { class: 'panel-list chat-list', 'data-testid': 'moderator-chat', 'aria-label': 'Audience chat' });
    this.queueItems = new KeyedList(
      this.queue,
      (q) => q.id,
      (q) => `${q.votes}|${q.state}|${q.id === this.session.audience.pinned?.id}|${q.name}|${q.text}`,
      (q) => this.questionItem(q, q.id === this.session.audience.pinned?.id),
    );
    this.handItems = new KeyedList(
      this.hands,
      (x) => x.viewerId,
      (x) => `${x.state}|${x.name}|${x.connected}|${x.expiresAt === undefined ? '' : secondsUntil(x.expiresAt, Date.now())}`,
      (x) => this.handItem(x),
    );
    this.chatItems = new KeyedList(this.chat, (c) => c.id, () => '', (c) => this.chatItem(c));
    this.chatToggle = h('button', {
      type: 'button',
      class: 'switch',
      role: 'switch',
      'data-testid': 'chat-toggle',
      onclick: () => this.session.setChatEnabled(!this.session.audience.chatEnabled),
    });
    const pane = (id: Tab, ...children: (Node | null)[]): HTMLElement =>
      h('section', { class: 'panel-pane', id: `panel-${id}`, role: 'tabpanel', 'aria-labelledby': `panel-tab-${id}`, tabindex: '0' }, ...children);
    this.panes = {
      questions: pane('questions', this.queue),
      hands: pane('hands', h('h3', { class: 'panel-subhead' }, 'On stage from the audience'), this.guests, h('h3', { class: 'panel-subhead' }, 'Hands up'), this.hands),
      chat: pane('chat', h('div', { class: 'chat-switch' }, h('span', { id: 'chat-switch-label' }, 'Audience chat'), this.chatToggle), this.chat),
    };
    this.chatToggle.setAttribute('aria-labelledby', 'chat-switch-label');
    this.element = h(
      'aside',
      { class: 'audience-panel', id: 'audience-panel', 'data-testid': 'audience-panel', 'aria-label': 'Audience' },
      h('header', { class: 'panel-head' }, h('h2', {}, 'Audience'), this.viewers),
      h('div', { class: 'panel-tabs', role: 'tablist', 'aria-label': 'Audience' }, this.tabs.questions, this.tabs.hands, this.tabs.chat),
      this.panes.questions,
      this.panes.hands,
      this.panes.chat,
    );
    this.select('questions', false);
    // Invitation countdowns tick without a server message.
    this.countdown = window.setInterval(() => {
      if (this.tab === 'hands' && [...this.session.audience.hands.values()].some((x) => x.state === 'invited')) {
        this.renderedVersion = -1;
        this.render();
      }
    }, 1000);
  }

  dispose(): void {
    window.clearInterval(this.countdown);
    this.element.remove();
  }

  private select(tab: Tab, focus = true): void {
    this.tab = tab;
    for (const id of Object.keys(this.tabs) as Tab[]) {
      const on = id === tab;
      this.tabs[id].setAttribute('aria-selected', String(on));
      this.tabs[id].tabIndex = on ? 0 : -1;
      this.panes[id].hidden = !on;
    }
    if (focus) this.tabs[tab].focus();
    this.renderedVersion = -1;
    this.render();
  }

  /** Arrow keys move between tabs (WAI-ARIA tabs pattern). */
  private onTabKey(event: KeyboardEvent): void {
    const order: Tab[] = ['questions', 'hands', 'chat'];
    const i = order.indexOf(this.tab);
    if (event.key === 'ArrowRight') this.select(order[(i + 1) % order.length] ?? 'questions');
    else if (event.key === 'ArrowLeft') this.select(order[(i + order.length - 1) % order.length] ?? 'questions');
    else return;
    event.preventDefault();
  }

  /** Re-renders what changed; cheap when nothing did. */
  render(): void {
    const model = this.session.audience;
    const guests = [...this.session.room.participants.values()].filter((p) => p.fromAudience);
    const guestKey = guests.map((g) => `${g.id}:${g.name}`).join('|');
    if (model.version === this.renderedVersion && guestKey === this.renderedGuests) return;
    this.renderedVersion = model.version;
    this.renderedGuests = guestKey;

    const viewers = model.viewers ?? 0;
    replaceChildren(this.viewers, icon('eye', 'icon icon-s'), h('span', {}, `${viewers} watching`));
    this.viewers.setAttribute('aria-label', `${viewers} ${viewers === 1 ? 'viewer' : 'viewers'} watching`);
    const queue = moderatorQueue(model);
    const waiting = queue.filter((q) => q.state === 'pending').length;
    const hands = handsInOrder(model);
    this.badge('questions', waiting);
    this.badge('hands', hands.filter((x) => x.state === 'raised').length);
    this.badge('chat', 0);

    this.chatToggle.setAttribute('aria-checked', String(model.chatEnabled));
    this.chatToggle.dataset['on'] = String(model.chatEnabled);
    replaceChildren(this.chatToggle, h('span', { class: 'switch-knob' }), h('span', { class: 'switch-text' }, model.chatEnabled ? 'On' : 'Off'));

    if (this.tab === 'questions') {
      this.queueItems.render(queue, 'No questions yet. They appear here as the audience asks.');
    } else if (this.tab === 'hands') {
      replaceChildren(
        this.guests,
        ...(guests.length === 0
          ? [this.empty('Nobody from the audience is on stage.')]
          : guests.map((g) =>
              h(
                'li',
                { class: 'panel-item guest-item', 'data-participant-id': g.id },
                h('div', { class: 'panel-item-main' }, h('span', { class: 'who' }, g.name), h('span', { class: 'state-badge state-live' }, 'On stage')),
                h('div', { class: 'panel-actions' }, actionButton('Send back', 'leave', 'guest-sendback', () => this.session.sendBack(g.id))),
              ),
            )),
      );
      this.handItems.render(hands.filter((x) => x.state !== 'on-stage'), 'No hands up.');
    } else {
      this.chatItems.render(model.chat, model.chatEnabled ? 'The chat is quiet.' : 'The chat is off.');
      this.chat.lastElementChild?.scrollIntoView({ block: 'nearest' });
    }
  }

  private badge(tab: Tab, n: number): void {
    const badge = this.tabs[tab].querySelector<HTMLElement>('.panel-badge');
    if (badge !== null) {
      badge.textContent = n > 0 ? String(n) : '';
      badge.hidden = n === 0;
    }
  }

  private empty(text: string): HTMLElement {
    return h('li', { class: 'panel-empty' }, text);
  }

  private questionItem(q: Question, pinned: boolean): HTMLElement {
    const s = this.session;
    const actions: HTMLElement[] = [];
    if (q.state === 'pending' || q.state === 'hidden') actions.push(actionButton('Approve', 'check', 'q-approve', () => s.moderateQuestion(q.id, 'approve')));
    if (pinned) actions.push(actionButton('Unpin', 'pin', 'q-unpin', () => s.moderateQuestion(q.id, 'unpin')));
    else if (q.state !== 'hidden') actions.push(actionButton('Pin', 'pin', 'q-pin', () => s.moderateQuestion(q.id, 'pin'), 'panel-action-primary'));
    if (q.state === 'approved') actions.push(actionButton('Answered', 'check', 'q-answered', () => s.moderateQuestion(q.id, 'answered')));
    if (q.state !== 'hidden') actions.push(actionButton('Hide', 'eyeOff', 'q-hide', () => s.moderateQuestion(q.id, 'hide')));
    const viewerId = q.viewerId;
    const ban =
      viewerId === undefined
        ? null
        : h(
            'button',
            {
              type: 'button',
              class: 'icon-button danger',
              'data-testid': 'q-ban',
              'aria-label': `Ban ${q.name}`,
              title: `Ban ${q.name} from the audience`,
              onclick: () => void this.confirmBan(viewerId, q.name),
            },
            icon('ban', 'icon icon-s'),
          );
    return h(
      'li',
      { class: `panel-item question-item${pinned ? ' pinned' : ''}`, 'data-testid': 'queue-question', 'data-question-id': q.id, 'data-state': q.state, 'data-pinned': String(pinned) },
      h(
        'div',
        { class: 'panel-item-main' },
        h('span', { class: 'votes', 'aria-label': `${q.votes} ${q.votes === 1 ? 'vote' : 'votes'}` }, icon('up', 'icon icon-s'), String(q.votes)),
        h('span', { class: 'who' }, q.name),
        h('span', { class: `state-badge state-${pinned ? 'pinned' : q.state}` }, pinned ? 'Now answering' : STATE_LABELS[q.state]),
        ban,
      ),
      h('p', { class: 'question-text', 'data-testid': 'queue-question-text' }, q.text),
      h('div', { class: 'panel-actions' }, ...actions),
    );
  }

  private handItem(x: RaisedHand): HTMLElement {
    const s = this.session;
    const invited = x.state === 'invited';
    const left = invited && x.expiresAt !== undefined ? secondsUntil(x.expiresAt, Date.now()) : 0;
    const status = x.state === 'on-stage' ? 'On stage' : invited ? `Invited · ${left} s` : x.connected ? 'Hand up' : 'Away';
    const actions: HTMLElement[] = [];
    if (x.state === 'raised' || invited) {
      actions.push(
        h(
          'button',
          {
            type: 'button',
            class: 'btn btn-small btn-primary panel-action',
            'data-testid': 'hand-invite',
            disabled: !x.connected,
            title: x.connected ? `Invite ${x.name} on stage` : `${x.name} is not connected`,
            onclick: () => s.inviteToStage(x.viewerId),
          },
          icon('stage', 'icon icon-s'),
          h('span', { class: 'panel-action-label' }, invited ? 'Invite again' : 'Invite on stage'),
        ),
      );
      actions.push(actionButton('Lower', 'close', 'hand-lower', () => s.lowerHand(x.viewerId)));
    }
    return h(
      'li',
      { class: 'panel-item hand-item', 'data-testid': 'hand-item', 'data-viewer-id': x.viewerId, 'data-state': x.state },
      h('div', { class: 'panel-item-main' }, icon('hand', 'icon icon-s hand-icon'), h('span', { class: 'who' }, x.name === '' ? 'Anonymous' : x.name), h('span', { class: `state-badge state-hand-${x.state}` }, status)),
      h('div', { class: 'panel-actions' }, ...actions),
    );
  }

  private chatItem(c: ChatLine): HTMLElement {
    const viewerId = c.viewerId;
    return h(
      'li',
      { class: 'chat-line', 'data-testid': 'moderator-chat-line', 'data-message-id': c.id },
      h('span', { class: 'chat-name' }, c.name),
      h('span', { class: 'chat-text' }, c.text),
      h(
        'span',
        { class: 'chat-line-actions' },
        h('button', { type: 'button', class: 'icon-button', 'aria-label': `Remove ${c.name}'s message`, title: 'Remove', 'data-testid': 'chat-remove', onclick: () => this.session.removeChat(c.id) }, icon('close', 'icon icon-s')),
        viewerId !== undefined
          ? h('button', { type: 'button', class: 'icon-button danger', 'aria-label': `Ban ${c.name}`, title: 'Ban', 'data-testid': 'chat-ban', onclick: () => void this.confirmBan(viewerId, c.name) }, icon('ban', 'icon icon-s'))
          : null,
      ),
    );
  }

  private async confirmBan(viewerId: string, name: string): Promise<void> {
    const result = await confirmDialog({
      title: `Ban ${name === '' ? 'this viewer' : name}?`,
      text: 'Their questions and messages disappear and they are cut off from this room’s audience.',
      confirmLabel: 'Ban',
      danger: true,
      reasonLabel: 'Reason (they will see it)',
      testId: 'ban-dialog',
    });
    if (result.confirmed) this.session.banViewer(viewerId, result.reason);
  }
}

/** The "now answering" strip everyone on stage sees over the grid (null: nothing pinned). */
export function pinnedStrip(q: Question | null): HTMLElement | null {
  if (q === null) return null;
  return h(
    'div',
    { class: 'pinned-strip', 'data-testid': 'stage-pinned', role: 'status', 'data-question-id': q.id },
    h('span', { class: 'pinned-label' }, icon('pin', 'icon icon-s'), 'Now answering'),
    h('span', { class: 'pinned-text', 'data-testid': 'stage-pinned-text' }, q.text),
    h('span', { class: 'pinned-who' }, `— ${q.name}`),
  );
}
