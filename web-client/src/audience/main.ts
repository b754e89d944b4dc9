/**
 * The audience page (`/a/{roomId}?t=<audience token>`): watch the room's stream, ask and upvote
 * questions, chat, raise a hand. When the moderator invites this viewer, the page runs the device
 * check and puts it on stage with the stage page's own session and view; when the moderator sends
 * it back, it returns here.
 */

import '../styles/base.css';
import '../styles/stage.css';
import '../styles/audience.css';
import { AudienceClient, type AudienceConnectionState, type AudienceEnd, audienceSocketUrl } from '../audienceClient';
import type { AudienceServerMessage, ViewerResume } from '../audienceProtocol';
import { checkLink, parseAudienceLocation, peekToken, webSocketUrl } from '../links';
import { AudienceModel } from '../qa';
import { SignalingError, browserScheduler, browserSocketFactory } from '../signaling';
import { byId, h, replaceChildren } from '../ui/dom';
import { icon } from '../ui/icons';
import { Banners } from '../stage/banners';
import { DeviceCheck } from '../stage/devicecheck';
import { LocalMedia } from '../stage/media';
import { explainLinkWarning, explainRefusal } from '../stage/messages';
import { type ErrorInfo, StageSession } from '../stage/session';
import { audienceHookInfo, installTestHook } from '../stage/testhook';
import { StageView, endCard } from '../stage/view';
import { AudienceView, type InviteInfo } from './view';

const main = byId('main');
const controls = byId('controls');
const banners = new Banners(byId('banners'), byId('live'), byId('alert'));
byId('brand-mark').append(icon('stage'));

type Phase = 'audience' | 'device-check' | 'stage' | 'ended';
let phase: Phase = 'audience';
let stage: StageSession | null = null;
let pageError: ErrorInfo | null = null;
let invite: (InviteInfo & { grant: string }) | null = null;
const model = new AudienceModel();
const location = parseAudienceLocation(window.location.pathname, window.location.search);
let client: AudienceClient | null = null;
let view: AudienceView | null = null;
let viewerId: string | null = null;

installTestHook({
  phase: () => phase,
  roomId: () => (location.ok ? location.roomId : null),
  session: () => stage,
  pageError: () => pageError,
  audience: () => ({
    ...audienceHookInfo(model),
    connection: client?.connectionState ?? 'idle',
    viewerId,
    hand: model.hand,
    myVotes: [...model.myVotes],
    mine: [...model.mine.values()].map((q) => ({ id: q.id, text: q.text, state: q.state })),
    invited: invite !== null,
    player: view?.player.currentState ?? null,
    playerLatency: view?.player.latency ?? null,
    lastError: pageError,
  }),
});

function setPill(state: string, text: string): void {
  const pill = byId('connection-pill');
  pill.dataset['state'] = state;
  pill.textContent = text;
}

const PILL: Record<AudienceConnectionState, string> = {
  idle: 'Not connected',
  connecting: 'Connecting…',
  joining: 'Joining…',
  joined: 'Connected',
  reconnecting: 'Reconnecting…',
  ended: 'Offline',
};

const RESUME_KEY = 'palco.viewer.';

function loadResume(roomId: string): ViewerResume | null {
  try {
    const raw = window.sessionStorage.getItem(RESUME_KEY + roomId);
    if (raw === null) return null;
    const parsed = JSON.parse(raw) as Partial<ViewerResume>;
    return typeof parsed.viewerId === 'string' && typeof parsed.secret === 'string' ? { viewerId: parsed.viewerId, secret: parsed.secret } : null;
  } catch {
    return null;
  }
}

function storeResume(roomId: string, resume: ViewerResume | null): void {
  try {
    if (resume === null) window.sessionStorage.removeItem(RESUME_KEY + roomId);
    else window.sessionStorage.setItem(RESUME_KEY + roomId, JSON.stringify(resume));
  } catch {
    // Without storage a reload joins as a new viewer.
  }
}

function storedName(): string {
  try {
    return window.localStorage.getItem('palco.name') ?? '';
  } catch {
    return '';
  }
}

/** A refusal's words for the person who typed something, or null when it was accepted. */
function reasonOf(error: unknown): string {
  if (error instanceof SignalingError) {
    pageError = { code: error.code, message: error.message };
    switch (error.code) {
      case 'slow-down':
        return `Slow down: ${error.message.replace(/^slow-down: /, '')}`;
      case 'too-long':
      case 'empty':
      case 'blocked-content':
      case 'limit-reached':
      case 'chat-off':
      case 'already-voted':
        return error.message.replace(/^[a-z-]+: /, '').replace(/^./, (c) => c.toUpperCase());
      case 'rate-limited':
        return 'Too many messages at once; wait a moment.';
      default:
        return `Not sent: ${error.message}`;
    }
  }
  return 'Not sent: the connection is down. It comes back by itself.';
}

function showEnd(end: AudienceEnd): void {
  phase = 'ended';
  setPill('ended', 'Offline');
  storeResume(location.ok ? location.roomId : '', null);
  const home = { label: 'Back to Palco', href: '/', testId: 'home-link' };
  let card: HTMLElement;
  if (end.kind === 'banned') {
    pageError = { code: 'banned', message: end.reason };
    card = endCard({ ...explainRefusal('banned'), code: 'banned', reason: end.reason, reasonLabel: 'Reason:', icon: 'ban', actions: [home] });
  } else if (end.kind === 'room-ended') {
    pageError = { code: 'room-ended', message: end.reason };
    card = endCard({ title: 'The room has ended', text: 'Thanks for watching.', code: 'room-ended', reason: end.reason, reasonLabel: 'Reason:', icon: 'power', actions: [home] });
  } else {
    pageError = { code: end.code, message: end.message };
    card = endCard({ ...explainRefusal(end.code), code: end.code, reason: end.message, reasonLabel: 'The server said:', icon: 'alert', actions: [home] });
  }
  banners.clear();
  controls.hidden = true;
  replaceChildren(main, card);
  card.querySelector<HTMLElement>('#end-title')?.focus();
}

function start(roomId: string, token: string): void {
  const warning = checkLink(roomId, token, Date.now());
  if (warning !== null) {
    const explained = explainLinkWarning(warning);
    banners.show('link-warning', { level: 'warning', title: explained.title, text: explained.text, closable: true });
  }
  const peek = peekToken(token);
  if (peek.ok && peek.claims.role !== 'audience') {
    banners.show('wrong-link', {
      level: 'info',
      title: 'This is a stage link',
      text: 'You opened a moderator or presenter link on the audience page.',
      actions: [{ label: 'Open the stage', primary: true, run: () => window.location.assign(`/r/${roomId}?t=${encodeURIComponent(token)}`) }],
    });
  }
  byId('room-name').textContent = `Room ${roomId}`;
  const badge = byId('role-badge');
  badge.hidden = false;
  badge.dataset['role'] = 'audience';
  badge.textContent = 'Audience';

  const audienceView = new AudienceView(model, {
    ask: async (text, name) => {
      try {
        const reply = await requireClient().request({ type: 'question.ask', text, ...(name !== '' ? { name } : {}) });
        if (reply.type === 'question.asked') {
          model.rememberMine(reply.question);
          banners.announce('Question sent. The moderator sees it now.');
        }
        audienceView.render();
        return null;
      } catch (error) {
        return reasonOf(error);
      }
    },
    vote: async (questionId, up) => {
      try {
        const reply = await requireClient().request({ type: 'question.vote', questionId, up });
        if (reply.type === 'question.voted') {
          if (reply.up) model.myVotes.add(questionId);
          else model.myVotes.delete(questionId);
          const q = model.questions.get(questionId);
          if (q !== undefined) model.questions.set(questionId, { ...q, votes: reply.votes });
          model.version++;
          audienceView.render();
        }
        return null;
      } catch (error) {
        return reasonOf(error);
      }
    },
    chat: async (text, name) => {
      try {
        const reply = await requireClient().request({ type: 'chat.send', text, ...(name !== '' ? { name } : {}) });
        if (reply.type === 'chat.sent') model.addChat(reply.message);
        audienceView.render();
        return null;
      } catch (error) {
        return reasonOf(error);
      }
    },
    raiseHand: async (raised, name) => {
      try {
        const reply = await requireClient().request({ type: 'hand.raise', raised, ...(name !== '' ? { name } : {}) });
        if (reply.type === 'hand.state') onHand(reply.state, reply.reason);
        return null;
      } catch (error) {
        return reasonOf(error);
      }
    },
    acceptInvite: () => goOnStage(roomId, token),
    declineInvite: () => {
      invite = null;
      audienceView.setInvite(null);
      requireClient().request({ type: 'stage.decline' }).then(
        (reply) => {
          if (reply.type === 'hand.state') onHand(reply.state, reply.reason);
        },
        () => undefined,
      );
    },
  });
  view = audienceView;
  audienceView.setConnected(false);
  replaceChildren(main, audienceView.element);

  client = new AudienceClient(
    {
      url: audienceSocketUrl(window.location),
      token,
      name: storedName(),
      resume: loadResume(roomId),
      socketFactory: browserSocketFactory,
      scheduler: browserScheduler,
    },
    {
      onState: (state) => {
        if (phase === 'audience' || phase === 'device-check') setPill(state, PILL[state]);
        audienceView.setConnected(state === 'joined');
        if (state === 'reconnecting') {
          banners.show('connection', { level: 'warning', icon: 'wifiOff', title: 'Connection lost, reconnecting', text: 'Your questions and votes are kept.' }, true);
        } else if (state === 'joined') {
          banners.hide('connection');
        }
      },
      onJoined: (joined) => {
        viewerId = joined.viewerId;
        storeResume(roomId, joined.resume);
        byId('room-name').textContent = joined.room.name;
        audienceView.setRoomName(joined.room.name);
        audienceView.setLimits(joined.limits);
        document.title = `${joined.room.name} · Palco`;
        model.myVotes.clear();
        for (const id of joined.you.votes) model.myVotes.add(id);
        model.mine.clear();
        for (const q of joined.you.questions) model.rememberMine(q);
        onHand(joined.you.hand);
      },
      onMessage: (message) => onMessage(message),
      onEnded: (end) => {
        if (phase === 'stage' && stage !== null) stage.leave();
        showEnd(end);
      },
    },
  );
  client.start();
  window.addEventListener('online', () => client?.retryNow());
}

function requireClient(): AudienceClient {
  if (client === null) throw new SignalingError('not-joined', 'not connected');
  return client;
}

function onMessage(message: AudienceServerMessage): void {
  switch (message.type) {
    case 'audience.state':
      model.reset(message);
      break;
    case 'audience.update':
      model.apply(message);
      break;
    case 'question.status':
      model.rememberMine(message.question);
      if (message.question.state === 'hidden') {
        banners.show('question-hidden', { level: 'info', title: 'Your question was not selected', text: 'The moderator chose not to show it.', dismissAfterS: 8, closable: true });
      }
      break;
    case 'hand.state':
      onHand(message.state, message.reason);
      break;
    case 'stage.invite':
      invite = { grant: message.grant, expiresAt: message.expiresAt, ...(message.by !== undefined ? { by: message.by } : {}) };
      model.hand = 'invited';
      model.version++;
      view?.setInvite(invite);
      banners.announce('You are invited on stage.', true);
      break;
    case 'error':
      pageError = { code: message.code, message: message.message };
      banners.show(`error-${message.code}`, {
        level: 'warning',
        title: message.code === 'rate-limited' ? 'Slow down' : 'The server reported a problem',
        text: message.message,
        dismissAfterS: 8,
        closable: true,
      });
      break;
    default:
      break;
  }
  view?.render();
}

function onHand(state: typeof model.hand, reason?: string): void {
  model.hand = state;
  model.version++;
  if (state !== 'invited') {
    invite = null;
    view?.setInvite(null);
  }
  if (reason === 'invite-expired') {
    banners.show('invite', { level: 'info', title: 'The invitation expired', text: 'Your hand is still up; the moderator can invite you again.', dismissAfterS: 8, closable: true });
  } else if (reason === 'lowered-by-moderator') {
    banners.show('invite', { level: 'info', title: 'The moderator lowered your hand', dismissAfterS: 6, closable: true });
  }
  view?.render();
}

/** The invitation was accepted: device check, then the stage with the grant. */
function goOnStage(roomId: string, token: string): void {
  const pass = invite;
  const resume = client?.resume ?? null;
  if (pass === null || resume === null) return;
  phase = 'device-check';
  view?.setInvite(null);
  view?.player.suspend();
  const media = new LocalMedia();
  const audienceElement = view?.element ?? null;
  const check = new DeviceCheck(media, roomId, 'presenter', (request) => {
    check.dispose();
    joinStage(roomId, token, media, request.name, request.micOn, request.cameraOn, { viewerId: resume.viewerId, secret: resume.secret, grant: pass.grant }, audienceElement);
  });
  const back = h('button', { type: 'button', class: 'btn btn-ghost', 'data-testid': 'back-to-audience', onclick: () => {
    check.dispose();
    media.stop();
    backToAudience(audienceElement);
    client?.request({ type: 'stage.decline' }).catch(() => undefined);
  } }, 'Back to the audience');
  replaceChildren(main, check.element);
  check.element.querySelector('.join-form')?.append(back);
  void check.start().then(() => check.focus());
}

function joinStage(
  roomId: string,
  token: string,
  media: LocalMedia,
  name: string,
  micOn: boolean,
  cameraOn: boolean,
  pass: { viewerId: string; secret: string; grant: string },
  audienceElement: HTMLElement | null,
): void {
  phase = 'stage';
  invite = null;
  let stageView: StageView | null = null;
  const session = new StageSession({
    roomId,
    url: webSocketUrl(window.location),
    token,
    name,
    media,
    micOn,
    cameraOn,
    relay: null,
    stage: pass,
    events: {
      changed: () => stageView?.scheduleRender(),
      connection: (state, reconnect) => stageView?.onConnection(state, reconnect),
      notice: (notice) =>
        banners.show(notice.id, {
          level: notice.level,
          title: notice.title,
          ...(notice.text !== undefined ? { text: notice.text } : {}),
          ...(notice.dismissAfterS !== undefined ? { dismissAfterS: notice.dismissAfterS } : {}),
          closable: true,
        }),
      ended: (end) => {
        stageView?.showEnd(end);
        stage = null;
        if (end.kind === 'refused') {
          const explained = explainRefusal(end.code);
          pageError = { code: end.code, message: end.message };
          backToAudience(audienceElement);
          banners.show('stage-refused', { level: 'error', title: explained.title, text: `${explained.text} (${end.code}: ${end.message})`, closable: true });
        } else if (end.kind === 'room-ended') {
          showEnd({ kind: 'room-ended', reason: end.reason });
        } else {
          backToAudience(audienceElement);
          banners.show('back', {
            level: 'info',
            title: end.kind === 'sent-back' ? 'You’re back in the audience' : 'You left the stage',
            text: end.kind === 'sent-back' ? 'Thanks for speaking! Keep watching and asking.' : 'Raise your hand again to come back.',
            dismissAfterS: 8,
            closable: true,
          });
        }
      },
    },
  });
  stage = session;
  stageView = new StageView({ session, banners, main, controls, selfName: name, roomId, linkRole: 'presenter', rejoin: () => window.location.reload() });
  main.focus();
  session.start();
}

function backToAudience(audienceElement: HTMLElement | null): void {
  phase = 'audience';
  controls.hidden = true;
  main.classList.remove('on-stage', 'has-spotlight');
  if (audienceElement !== null) replaceChildren(main, audienceElement);
  view?.player.resume();
  setPill(client?.connectionState ?? 'idle', PILL[client?.connectionState ?? 'idle']);
  const badge = byId('role-badge');
  badge.dataset['role'] = 'audience';
  badge.textContent = 'Audience';
  byId('participant-count').hidden = true;
  view?.invalidate();
  view?.render();
}


if (!location.ok) {
  phase = 'ended';
  pageError = { code: location.problem, message: location.problem === 'no-token' ? 'the link has no token' : 'the link names no room' };
  setPill('ended', 'Not connected');
  replaceChildren(
    main,
    endCard({
      title: 'This link is not complete',
      text: 'An audience link looks like /a/room-id?t=… Copy the whole link from your invitation.',
      code: 'token-malformed',
      icon: 'link',
      actions: [{ label: 'Back to Palco', href: '/', primary: true, testId: 'home-link' }],
    }),
  );
} else {
  setPill('idle', 'Not connected');
  start(location.roomId, location.token);
}
