/**
 * The stage page (`/r/{roomId}?t=<token>`): checks the link, runs the device check, then puts
 * the user on stage.
 */

import '../styles/base.css';
import '../styles/stage.css';
import '../styles/audience.css';
import { parseRelayMode } from '../iceconfig';
import { checkLink, parseStageLocation, peekToken, webSocketUrl } from '../links';
import type { Role } from '../protocol';
import { byId, replaceChildren } from '../ui/dom';
import { icon } from '../ui/icons';
import { Banners } from './banners';
import { DeviceCheck, type JoinRequest } from './devicecheck';
import { LocalMedia } from './media';
import { explainLinkWarning } from './messages';
import { type ErrorInfo, StageSession } from './session';
import { installTestHook } from './testhook';
import { StageView, endCard } from './view';

const main = byId('main');
const controls = byId('controls');
const banners = new Banners(byId('banners'), byId('live'), byId('alert'));
byId('brand-mark').append(icon('stage'));

let phase = 'device-check';
let session: StageSession | null = null;
let pageError: ErrorInfo | null = null;
const location = parseStageLocation(window.location.pathname, window.location.search);

installTestHook({
  phase: () => phase,
  roomId: () => (location.ok ? location.roomId : (location.roomId ?? null)),
  session: () => session,
  pageError: () => pageError,
});

function setConnectionPill(state: string, text: string): void {
  const pill = byId('connection-pill');
  pill.dataset['state'] = state;
  pill.textContent = text;
}

if (!location.ok) {
  phase = 'ended';
  const noToken = location.problem === 'no-token';
  pageError = { code: location.problem, message: noToken ? 'the link has no token' : 'the link names no room' };
  setConnectionPill('ended', 'Not connected');
  replaceChildren(
    main,
    endCard({
      title: 'This link is not complete',
      text: noToken
        ? 'A stage link ends with ?t= and a long code. Copy the whole link from your invitation.'
        : 'A stage link looks like /r/room-id?t=… Copy the whole link from your invitation.',
      code: 'token-malformed',
      icon: 'link',
      actions: [{ label: 'Create a room', href: '/', primary: true, testId: 'home-link' }],
    }),
  );
} else {
  startDeviceCheck(location.roomId, location.token);
}

function startDeviceCheck(roomId: string, token: string): void {
  const peek = peekToken(token);
  const linkRole: Role | null = peek.ok ? peek.claims.role : null;
  const warning = checkLink(roomId, token, Date.now());
  if (warning !== null) {
    const explained = explainLinkWarning(warning);
    banners.show('link-warning', { level: 'warning', title: explained.title, text: explained.text, closable: true });
  }
  const roomName = byId('room-name');
  roomName.textContent = `Room ${roomId}`;
  const badge = byId('role-badge');
  if (linkRole === 'moderator' || linkRole === 'presenter') {
    badge.hidden = false;
    badge.dataset['role'] = linkRole;
    badge.textContent = linkRole === 'moderator' ? 'Moderator' : 'Presenter';
  }
  setConnectionPill('idle', 'Not connected');

  const media = new LocalMedia();
  const check = new DeviceCheck(media, roomId, linkRole, (request) => {
    check.dispose();
    banners.hide('link-warning');
    join(roomId, token, linkRole, media, request);
  });
  replaceChildren(main, check.element);
  void check.start().then(() => check.focus());
}

function join(roomId: string, token: string, linkRole: Role | null, media: LocalMedia, request: JoinRequest): void {
  phase = 'stage';
  let view: StageView | null = null;
  const current = new StageSession({
    roomId,
    url: webSocketUrl(window.location),
    token,
    name: request.name,
    media,
    micOn: request.micOn,
    cameraOn: request.cameraOn,
    relay: parseRelayMode(window.location.search),
    events: {
      changed: () => view?.scheduleRender(),
      connection: (state, reconnect) => view?.onConnection(state, reconnect),
      notice: (notice) =>
        banners.show(notice.id, {
          level: notice.level,
          title: notice.title,
          ...(notice.text !== undefined ? { text: notice.text } : {}),
          ...(notice.dismissAfterS !== undefined ? { dismissAfterS: notice.dismissAfterS } : {}),
          closable: true,
        }),
      ended: (end) => {
        phase = 'ended';
        view?.showEnd(end);
      },
    },
  });
  session = current;
  view = new StageView({
    session: current,
    banners,
    main,
    controls,
    selfName: request.name,
    roomId,
    linkRole,
    rejoin: () => window.location.reload(),
  });
  main.focus();
  current.start();
  // No `leave` on pagehide: a reload should take the seat back with the stored resume, and a
  // closed tab frees it when the resume window passes.
  window.addEventListener('online', () => current.retryNow());
}
