/**
 * What the page says when something stops the user: a title and a next step for every refusal
 * code of docs/protocol.md, and for how a session can end. The server's own reason is shown next
 * to these, as it is.
 */

import type { LinkWarning } from '../links';
import type { SessionEnd } from '../signaling';

export interface Explanation {
  title: string;
  text: string;
}

const REFUSALS: Record<string, Explanation> = {
  'token-malformed': {
    title: 'This link is not valid',
    text: 'It is incomplete or damaged. Copy the whole link again from your invitation.',
  },
  'token-bad-signature': {
    title: 'This link is not valid',
    text: 'It was not issued by this server, or it has been changed. Ask the moderator for a new link.',
  },
  'token-expired': {
    title: 'This link has expired',
    text: 'Ask the moderator for a new link.',
  },
  'token-wrong-room': {
    title: 'This link is for another room',
    text: 'Check that you opened the whole link you were sent.',
  },
  'token-refused': {
    title: 'This link was refused',
    text: 'Ask the moderator for a new link.',
  },
  'room-not-found': {
    title: 'This room does not exist or has ended',
    text: 'Ask the moderator whether the room is still on, or create a new one.',
  },
  'room-full': {
    title: 'This room is full',
    text: 'Every seat on this stage is taken. Try again when someone leaves.',
  },
  'server-full': {
    title: 'The server is busy',
    text: 'It cannot open more rooms right now. Try again in a few minutes.',
  },
  'unsupported-protocol': {
    title: 'This page is out of date',
    text: 'The server speaks a newer version. Reload the page.',
  },
  'grant-malformed': {
    title: 'This stage invitation is not valid',
    text: 'It is damaged. Raise your hand again and wait for a new invitation.',
  },
  'grant-bad-signature': {
    title: 'This stage invitation is not valid',
    text: 'It was not issued by this server, or it has been changed.',
  },
  'grant-expired': {
    title: 'This stage invitation has expired',
    text: 'Invitations last a minute. Raise your hand again to be invited anew.',
  },
  'grant-wrong-viewer': {
    title: 'This stage invitation is for someone else',
    text: 'An invitation works only for the viewer it was sent to.',
  },
  'grant-used': {
    title: 'This stage invitation was already used',
    text: 'Each invitation takes you on stage once. Raise your hand again if you need another.',
  },
  'grant-revoked': {
    title: 'This stage invitation was withdrawn',
    text: 'The moderator withdrew it or sent a newer one.',
  },
  banned: {
    title: 'You were removed from this audience',
    text: 'A moderator removed you from this room.',
  },
};

/** Explains a refusal code; an unknown code still gets a usable sentence. */
export function explainRefusal(code: string): Explanation {
  return REFUSALS[code] ?? { title: 'You could not join this room', text: 'The server refused the request.' };
}

/** Explains why a session ended. */
export function explainEnd(end: SessionEnd): Explanation {
  switch (end.kind) {
    case 'refused':
      return explainRefusal(end.code);
    case 'removed':
      return { title: 'You were removed from the room', text: 'A moderator took you off the stage.' };
    case 'room-ended':
      return { title: 'The room has ended', text: 'Thanks for taking part.' };
    case 'sent-back':
      return { title: 'Back in the audience', text: 'The moderator thanked you and took you off the stage.' };
    case 'left':
      return { title: 'You left the room', text: 'You can rejoin with the same link while the room is on.' };
  }
}

const LINK_WARNINGS: Record<LinkWarning, string> = {
  'token-malformed': 'This link looks damaged',
  'token-expired': 'This link looks expired',
  'token-wrong-room': 'This link looks like it is for another room',
};

/** The early warning shown on the device check for a link that looks wrong before joining. */
export function explainLinkWarning(warning: LinkWarning): Explanation {
  return {
    title: LINK_WARNINGS[warning],
    text: `${explainRefusal(warning).text} You can still try to join; the server has the last word.`,
  };
}
