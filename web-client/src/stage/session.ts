/**
 * One participant's time on stage: the signaling session, the RTCPeerConnection (one per
 * participant, BUNDLE, both directions), the local tracks it publishes, the remote tracks it
 * receives, and the measurements the tiles show. The view reads its state and calls its actions.
 */

import { type RelayMode, peerConfiguration } from '../iceconfig';
import { type NegotiablePeer, Negotiator } from '../negotiation';
import { AudienceModel } from '../qa';
import type {
  CandidateInit,
  PauseReason,
  TrackLayoutInfo,
  JoinedMessage,
  PublishAnswerMessage,
  PublishedTrack,
  ResumeInfo,
  ServerMessage,
  StagePass,
  SubscribedTrack,
  TrackKind,
  TrackSource,
} from '../protocol';
import { type QualityReport, type RawStats, type StatsSnapshot, computeQuality, localSnapshot, remoteSnapshots } from '../quality';
import {
  type ConnectionState,
  type ReconnectInfo,
  type SessionEnd,
  SignalingClient,
  SignalingError,
  browserScheduler,
  browserSocketFactory,
} from '../signaling';
import { preferRed } from '../codecs';
import { type ObservedTile, LayoutReporter, simulcastEncodings } from '../receivelayout';
import { ActiveSpeakerDetector } from '../speaker';
import type { LocalMedia } from './media';
import { RoomState } from './room';

/** A remote track being received, labelled by the `subscribe.offer` that brought it. */
export interface RemoteMedia extends SubscribedTrack {
  track: MediaStreamTrack;
  receiver: RTCRtpReceiver;
}

export type NoticeLevel = 'info' | 'warning' | 'error';

/** Something the user should read, shown as a banner. */
export interface Notice {
  id: string;
  level: NoticeLevel;
  title: string;
  text?: string;
  /** Seconds until it goes away by itself; none: it stays until replaced or closed. */
  dismissAfterS?: number;
}

export interface SessionEvents {
  /** Anything the view shows changed; the view batches renders. */
  changed(): void;
  connection(state: ConnectionState, reconnect?: ReconnectInfo): void;
  notice(notice: Notice): void;
  ended(end: SessionEnd): void;
}

export interface SessionOptions {
  roomId: string;
  url: string;
  token: string;
  name: string;
  media: LocalMedia;
  micOn: boolean;
  cameraOn: boolean;
  /** TURN only, and over which transport (the link's `relay` option), or null. */
  relay: RelayMode | null;
  events: SessionEvents;
  /** A guest from the audience: its stage pass (the page then starts without a stored seat). */
  stage?: StagePass | null;
}

/** An error this page shows, and the test hook reports. */
export interface ErrorInfo {
  code: string;
  message: string;
}

const STATS_INTERVAL_MS = 1000;
/** How long the first publish waits for a subscribe.offer the server is known to be sending. */
const FIRST_REMOTE_OFFER_WAIT_MS = 2000;
const SPEAKER_INTERVAL_MS = 250;
/** A synchronization source's level older than this is silence: the speaker stopped sending. */
const LEVEL_MAX_AGE_MS = 1000;

/** The seat is kept per tab, so a reload takes it back (docs/protocol.md, "Joining"). */
const RESUME_KEY = 'palco.resume.';

function loadResume(roomId: string): ResumeInfo | null {
  try {
    const raw = window.sessionStorage.getItem(RESUME_KEY + roomId);
    if (raw === null) return null;
    const parsed = JSON.parse(raw) as Partial<ResumeInfo>;
    if (typeof parsed.participantId === 'string' && typeof parsed.secret === 'string') {
      return { participantId: parsed.participantId, secret: parsed.secret };
    }
  } catch {
    // Storage refused or a damaged entry: join afresh.
  }
  return null;
}

function storeResume(roomId: string, resume: ResumeInfo | null): void {
  try {
    if (resume === null) window.sessionStorage.removeItem(RESUME_KEY + roomId);
    else window.sessionStorage.setItem(RESUME_KEY + roomId, JSON.stringify(resume));
  } catch {
    // Without storage a reload simply joins as someone new.
  }
}

function errorInfo(error: unknown): ErrorInfo {
  if (error instanceof SignalingError) return { code: error.code, message: error.message };
  if (error instanceof Error) return { code: error.name, message: error.message };
  return { code: 'error', message: String(error) };
}

export class StageSession {
  readonly room = new RoomState();
  /** The room's audience: questions, the pinned one, chat; hands and viewers for moderators. */
  readonly audience = new AudienceModel();
  readonly media: LocalMedia;
  remoteMedia = new Map<string, RemoteMedia>();
  /** Received video tracks the SFU paused, by trackId, with its reason (`track.paused`). */
  readonly paused = new Map<string, PauseReason>();
  /** Whether the camera is published as simulcast layers (q, h, f). */
  cameraSimulcast = false;
  readonly quality = new Map<string, QualityReport>();
  speaker: string | null = null;
  /** Whether the room is on air for the audience, from `broadcast.state`. */
  broadcast: { live: boolean; playlist: string | null } = { live: false, playlist: null };
  /** A broadcast start or stop sent and not yet answered. */
  broadcastPending = false;
  micOn: boolean;
  cameraOn: boolean;
  screenTrack: MediaStreamTrack | null = null;
  lastError: ErrorInfo | null = null;
  end: SessionEnd | null = null;
  pc: RTCPeerConnection | null = null;
  negotiator: Negotiator | null = null;
  joined = false;

  private readonly signaling: SignalingClient;
  private readonly events: SessionEvents;
  private readonly roomId: string;
  private readonly relay: RelayMode | null;
  private readonly transceivers = new Map<TrackSource, RTCRtpTransceiver>();
  private midMap = new Map<string, SubscribedTrack>();
  private readonly previousStats = new Map<string, StatsSnapshot>();
  private readonly detector = new ActiveSpeakerDetector();
  /** Set once the server names speakers itself; then its word replaces the local estimate. */
  private serverSpeaker = false;
  /** The mute state last sent per trackId, so a state is told to the server once. */
  private readonly muteSent = new Map<string, boolean>();
  /** The last measurement of each remote video tile, by trackId, from the view's observers. */
  private readonly tileObservations = new Map<string, ObservedTile>();
  /** Tells the SFU the tiles' sizes and visibility (`subscription.layout`). */
  readonly layouts = new LayoutReporter(
    (tracks: TrackLayoutInfo[]) => this.joined && this.signaling.send({ type: 'subscription.layout', tracks }),
    browserScheduler,
  );
  private statsTimer = 0;
  private speakerTimer = 0;
  private statsRunning = false;

  constructor(options: SessionOptions) {
    this.media = options.media;
    this.micOn = options.micOn;
    this.cameraOn = options.cameraOn;
    this.events = options.events;
    this.roomId = options.roomId;
    this.relay = options.relay;
    this.signaling = new SignalingClient(
      {
        resume: options.stage != null ? null : loadResume(options.roomId),
        stage: options.stage ?? null,
        url: options.url,
        token: options.token,
        name: options.name,
        socketFactory: browserSocketFactory,
        scheduler: browserScheduler,
      },
      {
        onStateChange: (state, reconnect) => this.onConnection(state, reconnect),
        onJoined: (joined, reconnect) => this.onJoined(joined, reconnect),
        onMessage: (message) => this.onMessage(message),
        onEnded: (end) => this.onEnded(end),
        onBadFrame: (reason) => console.warn('palco: ignored a server frame:', reason),
      },
    );
  }

  get connectionState(): ConnectionState {
    return this.signaling.connectionState;
  }

  get participantId(): string | null {
    return this.room.selfId;
  }

  get isModerator(): boolean {
    return this.room.role === 'moderator';
  }

  start(): void {
    this.signaling.start();
  }

  retryNow(): void {
    this.signaling.retryNow();
  }

  leave(): void {
    this.signaling.leave();
  }

  // ------------------------------------------------------------------ signaling events

  private onConnection(state: ConnectionState, reconnect?: ReconnectInfo): void {
    if (state !== 'joined') {
      this.joined = false;
      this.negotiator?.pause();
    }
    this.events.connection(state, reconnect);
    this.events.changed();
  }

  private onJoined(joined: JoinedMessage, reconnect: boolean): void {
    const sameSeat = reconnect && joined.resumed && this.pc !== null && this.pc.connectionState !== 'closed';
    storeResume(this.roomId, joined.resume);
    this.room.reset(joined);
    this.muteSent.clear();
    this.joined = true;
    if (sameSeat && this.negotiator !== null && this.pc !== null) {
      this.negotiator.resume();
      const ice = this.pc.iceConnectionState;
      if (ice === 'failed' || ice === 'disconnected') this.negotiator.restartIce();
    } else {
      if (reconnect) {
        this.events.notice({
          id: 'rejoined',
          level: 'info',
          title: 'Back on stage',
          text: 'Your seat had expired, so you joined again.',
          dismissAfterS: 6,
        });
      }
      this.buildPeer(joined);
    }
    this.syncMutes();
    // A new seat's subscriptions know nothing of the tiles; a resumed one may have missed a change.
    this.layouts.resendAll();
    this.syncLayouts();
    this.startLoops();
    this.events.changed();
  }

  private onMessage(message: ServerMessage): void {
    switch (message.type) {
      case 'subscribe.offer':
        if (this.negotiator !== null) {
          void this.negotiator.handleSubscribeOffer(message).then(() => this.syncRemoteTracks());
        }
        return;
      case 'trickle':
        void this.negotiator?.handleRemoteCandidate(message.candidate);
        return;
      case 'participant.left':
        this.detector.remove(message.participantId);
        this.quality.delete(message.participantId);
        this.previousStats.delete(message.participantId);
        break;
      case 'muted.by.moderator':
        this.onMutedByModerator(message.kind, message.by);
        return;
      case 'audience.state':
        this.audience.reset(message);
        this.events.changed();
        return;
      case 'audience.update':
        this.audience.apply(message);
        this.events.changed();
        return;
      case 'broadcast.state':
        this.broadcast = { live: message.live, playlist: message.playlist };
        this.events.changed();
        return;
      case 'track.paused':
        if (message.paused && message.reason !== null) this.paused.set(message.trackId, message.reason);
        else this.paused.delete(message.trackId);
        this.events.changed();
        return;
      case 'speaker.changed':
        this.serverSpeaker = true;
        this.speaker = message.participantIds[0] ?? null;
        this.events.changed();
        return;
      case 'error':
        // A layout that crossed the track's removal: the next subscribe.offer settles it.
        if (message.code === 'unknown-track') return;
        // An error that answers nothing of ours: the server telling us something went wrong.
        this.lastError = { code: message.code, message: message.message };
        this.events.notice({
          id: `error-${message.code}`,
          level: 'warning',
          title: message.code === 'rate-limited' ? 'Slow down' : 'The server reported a problem',
          text: message.message !== '' ? message.message : message.code,
          dismissAfterS: 8,
        });
        this.events.changed();
        return;
      default:
        break;
    }
    if (this.room.apply(message)) {
      if (message.type === 'track.published' && message.participantId === this.room.selfId) this.syncMutes();
      this.events.changed();
    }
  }

  private onEnded(end: SessionEnd): void {
    this.end = end;
    this.joined = false;
    storeResume(this.roomId, null);
    if (end.kind === 'refused') this.lastError = { code: end.code, message: end.message };
    else if (end.kind === 'removed') this.lastError = { code: 'removed', message: end.reason };
    else if (end.kind === 'room-ended') this.lastError = { code: 'room-ended', message: end.reason };
    this.teardownPeer();
    this.layouts.dispose();
    this.stopScreen(false);
    this.media.stop();
    this.events.ended(end);
    this.events.changed();
  }

  // ------------------------------------------------------------------ the peer connection

  private buildPeer(joined: JoinedMessage): void {
    this.teardownPeer();
    const pc = new RTCPeerConnection(peerConfiguration(joined.iceServers, this.relay));
    this.pc = pc;
    const negotiator = new Negotiator(
      pc as unknown as NegotiablePeer,
      {
        publishOffer: async (sdp, tracks) => {
          const reply = await this.signaling.request({ type: 'publish.offer', sdp, tracks });
          if (reply.type !== 'publish.answer') throw new SignalingError('bad-message', `expected publish.answer, got ${reply.type}`);
          return reply;
        },
        subscribeAnswer: (revision, sdp) => {
          this.signaling.send({ type: 'subscribe.answer', revision, sdp });
        },
      },
      {
        describeTracks: () => this.describeTracks(),
        onRemoteTracks: (tracks) => {
          this.midMap = new Map(tracks.map((t) => [t.mid, t]));
        },
        onPublished: (answer, tracks) => this.onPublished(answer, tracks),
        onError: (step, error) => {
          this.lastError = errorInfo(error);
          console.warn(`palco: ${step} failed`, error);
          this.events.notice({
            id: 'negotiation',
            level: 'warning',
            title: 'Media could not be set up',
            text: `${step}: ${this.lastError.message}`,
            dismissAfterS: 10,
          });
          this.events.changed();
        },
      },
    );
    this.negotiator = negotiator;
    // Others' tracks are already on stage, so the server's subscribe.offer is on its way: answer it
    // before publishing rather than cross it (see Negotiator.expectRemoteOffer).
    if (joined.participants.some((p) => p.id !== joined.participantId && p.tracks.length > 0)) {
      negotiator.expectRemoteOffer(FIRST_REMOTE_OFFER_WAIT_MS);
    }

    pc.addEventListener('negotiationneeded', () => negotiator.requestOffer());
    pc.addEventListener('icecandidate', (event) => {
      const candidate = event.candidate;
      if (candidate !== null && candidate.candidate === '') return; // the browser's per-generation end marker
      this.signaling.send({ type: 'trickle', candidate: candidate === null ? null : (candidate.toJSON() as CandidateInit) });
    });
    pc.addEventListener('track', () => this.syncRemoteTracks());
    pc.addEventListener('iceconnectionstatechange', () => {
      // RFC 8445 §2.4 restart: new credentials in a new offer; the SFU answers with its own.
      if (pc.iceConnectionState === 'failed' && this.joined) negotiator.restartIce();
      this.events.changed();
    });
    pc.addEventListener('connectionstatechange', () => this.events.changed());

    const stream = new MediaStream();
    this.addLocal('microphone', this.media.audio, stream);
    this.addLocal('camera', this.media.video, stream);
    if (this.screenTrack !== null) this.addLocal('screen', this.screenTrack, new MediaStream());
  }

  private addLocal(source: TrackSource, track: MediaStreamTrack | null, stream: MediaStream): void {
    if (this.pc === null || track === null) return;
    stream.addTrack(track);
    if (source === 'camera') {
      // A camera large enough goes out in three layers, so each subscriber gets the one its tile
      // needs (docs/protocol.md, "Receiving video"); a browser that refuses them sends one stream.
      const settings = track.getSettings();
      const encodings = simulcastEncodings(settings.width, settings.height);
      this.cameraSimulcast = false;
      if (encodings !== null) {
        try {
          this.transceivers.set(source, this.pc.addTransceiver(track, { direction: 'sendonly', streams: [stream], sendEncodings: encodings }));
          this.cameraSimulcast = true;
          return;
        } catch (error) {
          console.warn('palco: simulcast refused, sending one stream', error);
        }
      }
    }
    const transceiver = this.pc.addTransceiver(track, { direction: 'sendonly', streams: [stream] });
    if (source === 'microphone') preferRed(transceiver);
    this.transceivers.set(source, transceiver);
  }

  private teardownPeer(): void {
    this.stopLoops();
    this.negotiator?.close();
    this.negotiator = null;
    this.pc?.close();
    this.pc = null;
    this.transceivers.clear();
    this.midMap.clear();
    this.remoteMedia = new Map();
    this.paused.clear();
    this.quality.clear();
    this.previousStats.clear();
  }

  /** The sending m-lines of the offer being made: mid → source (docs/protocol.md, publish.offer). */
  private describeTracks(): PublishedTrack[] {
    const tracks: PublishedTrack[] = [];
    for (const [source, transceiver] of this.transceivers) {
      const sending = transceiver.direction === 'sendonly' || transceiver.direction === 'sendrecv';
      if (transceiver.mid !== null && sending && transceiver.sender.track !== null) tracks.push({ mid: transceiver.mid, source });
    }
    return tracks;
  }

  private onPublished(answer: PublishAnswerMessage, tracks: PublishedTrack[]): void {
    // A server that names our track ids in the answer saves waiting for track.published.
    if (answer.tracks === undefined || this.room.selfId === null) return;
    for (const { mid, trackId } of answer.tracks) {
      const sent = tracks.find((t) => t.mid === mid);
      const transceiver = sent === undefined ? undefined : this.transceivers.get(sent.source);
      const kind: TrackKind | undefined = transceiver?.sender.track?.kind === 'audio' ? 'audio' : transceiver ? 'video' : undefined;
      if (sent === undefined || kind === undefined || this.room.selfTracks.has(trackId)) continue;
      this.room.selfTracks.set(trackId, { trackId, kind, source: sent.source, muted: false });
    }
    this.syncMutes();
  }

  /** Rebuilds the received tracks from the transceivers and the latest mid map. */
  private syncRemoteTracks(): void {
    if (this.pc === null) return;
    const next = new Map<string, RemoteMedia>();
    for (const transceiver of this.pc.getTransceivers()) {
      if (transceiver.mid === null) continue;
      const info = this.midMap.get(transceiver.mid);
      if (info === undefined) continue;
      const direction = transceiver.currentDirection;
      if (direction === 'inactive' || direction === 'stopped' || direction === 'sendonly') continue;
      next.set(info.trackId, { ...info, track: transceiver.receiver.track, receiver: transceiver.receiver });
    }
    this.remoteMedia = next;
    for (const trackId of this.paused.keys()) if (!next.has(trackId)) this.paused.delete(trackId);
    this.syncLayouts();
    this.events.changed();
  }

  // ------------------------------------------------------------------ tile layouts

  /** The view measured a remote video tile (device pixels, on screen or not). */
  reportTile(trackId: string, tile: ObservedTile): void {
    this.tileObservations.set(trackId, tile);
    this.syncLayouts();
  }

  /** The view dropped a tile. */
  forgetTile(trackId: string): void {
    this.tileObservations.delete(trackId);
    this.layouts.forget(trackId);
  }

  /** Passes on the tiles of the video tracks being received; the others wait for their track. */
  private syncLayouts(): void {
    for (const [trackId, tile] of this.tileObservations) {
      const media = this.remoteMedia.get(trackId);
      if (media !== undefined && media.kind === 'video') this.layouts.observe(trackId, tile);
      else this.layouts.forget(trackId);
    }
  }

  // ------------------------------------------------------------------ local controls

  /** Tells the server each own track's mute state where it differs from what it last heard. */
  private syncMutes(): void {
    if (!this.joined) return;
    for (const track of this.room.selfTracks.values()) {
      const wanted = track.source === 'microphone' ? !this.micOn : track.source === 'camera' ? !this.cameraOn : false;
      if (track.muted === wanted || this.muteSent.get(track.trackId) === wanted) continue;
      this.muteSent.set(track.trackId, wanted);
      this.signaling.request({ type: 'track.mute', trackId: track.trackId, muted: wanted }).then(
        () => undefined,
        (error: unknown) => {
          this.muteSent.delete(track.trackId);
          this.lastError = errorInfo(error);
        },
      );
    }
  }

  toggleMic(): void {
    const track = this.media.audio;
    if (track === null) {
      this.events.notice({ id: 'no-mic', level: 'warning', title: 'No microphone', text: 'Allow the microphone and rejoin to be heard.', dismissAfterS: 6 });
      return;
    }
    this.micOn = !this.micOn;
    track.enabled = this.micOn;
    this.syncMutes();
    this.events.changed();
  }

  toggleCamera(): void {
    const track = this.media.video;
    if (track === null) {
      this.events.notice({ id: 'no-camera', level: 'warning', title: 'No camera', text: 'Allow the camera and rejoin to be seen.', dismissAfterS: 6 });
      return;
    }
    this.cameraOn = !this.cameraOn;
    track.enabled = this.cameraOn;
    this.syncMutes();
    this.events.changed();
  }

  private onMutedByModerator(kind: TrackKind, by: string): void {
    const who = this.room.nameOf(by);
    if (kind === 'audio') {
      this.micOn = false;
      if (this.media.audio !== null) this.media.audio.enabled = false;
    } else {
      this.cameraOn = false;
      if (this.media.video !== null) this.media.video.enabled = false;
    }
    this.events.notice({
      id: 'muted-by-moderator',
      level: 'info',
      title: kind === 'audio' ? `${who} muted your microphone` : `${who} turned your camera off`,
      text: 'You can switch it back on when you are ready.',
      dismissAfterS: 8,
    });
    this.syncMutes();
    this.events.changed();
  }

  async toggleScreen(): Promise<void> {
    if (this.screenTrack !== null) {
      this.stopScreen(true);
      return;
    }
    const devices = navigator.mediaDevices as MediaDevices | undefined;
    if (devices?.getDisplayMedia === undefined) {
      this.events.notice({ id: 'screen', level: 'warning', title: 'Screen sharing is not available', text: 'This browser cannot share a screen.', dismissAfterS: 6 });
      return;
    }
    let stream: MediaStream;
    try {
      stream = await devices.getDisplayMedia({ video: { frameRate: { ideal: 15, max: 30 } }, audio: false });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'NotAllowedError') return; // the user chose Cancel
      this.events.notice({ id: 'screen', level: 'warning', title: 'Screen sharing failed', text: errorInfo(error).message, dismissAfterS: 8 });
      return;
    }
    const track = stream.getVideoTracks()[0];
    if (track === undefined) return;
    track.contentHint = 'detail';
    track.addEventListener('ended', () => {
      if (this.screenTrack === track) this.stopScreen(true);
    });
    this.screenTrack = track;
    const existing = this.transceivers.get('screen');
    if (existing !== undefined) {
      await existing.sender.replaceTrack(track);
      existing.direction = 'sendonly';
    } else {
      this.addLocal('screen', track, new MediaStream());
    }
    this.events.changed();
  }

  private stopScreen(notify: boolean): void {
    const track = this.screenTrack;
    if (track === null) return;
    this.screenTrack = null;
    track.stop();
    const transceiver = this.transceivers.get('screen');
    if (transceiver !== undefined && this.pc !== null && this.pc.connectionState !== 'closed') {
      // Inactive, not removed: the m-line is reused by the next share.
      void transceiver.sender.replaceTrack(null);
      transceiver.direction = 'inactive';
    }
    if (notify) this.events.changed();
  }

  // ------------------------------------------------------------------ moderation

  private moderate(action: string, body: Parameters<SignalingClient['request']>[0]): void {
    this.signaling.request(body).catch((error: unknown) => {
      this.lastError = errorInfo(error);
      this.events.notice({ id: `moderate-${action}`, level: 'warning', title: `Could not ${action}`, text: this.lastError.message, dismissAfterS: 8 });
      this.events.changed();
    });
  }

  muteParticipant(participantId: string): void {
    this.moderate('mute', { type: 'moderate.mute', participantId, kind: 'audio' });
  }

  removeParticipant(participantId: string, reason: string): void {
    this.moderate('remove', { type: 'moderate.remove', participantId, reason });
  }

  endRoom(): void {
    this.moderate('end the room', { type: 'room.end' });
  }

  /** Puts the room on air for the audience, or takes it off (moderators). */
  setBroadcasting(live: boolean): void {
    if (this.broadcastPending) return;
    this.broadcastPending = true;
    this.events.changed();
    this.signaling
      .request({ type: live ? 'broadcast.start' : 'broadcast.stop' })
      .catch((error: unknown) => {
        this.lastError = errorInfo(error);
        this.events.notice({
          id: 'broadcast',
          level: 'warning',
          title: live ? 'Could not go live' : 'Could not stop the broadcast',
          text: this.lastError.message,
          dismissAfterS: 10,
        });
      })
      .finally(() => {
        this.broadcastPending = false;
        this.events.changed();
      });
  }

  moderateQuestion(questionId: string, action: 'approve' | 'hide' | 'pin' | 'unpin' | 'answered'): void {
    this.moderate(`${action === 'answered' ? 'mark the question answered' : `${action} the question`}`, {
      type: 'question.moderate',
      questionId,
      action,
    });
  }

  inviteToStage(viewerId: string): void {
    this.moderate('invite', { type: 'hand.invite', viewerId });
  }

  lowerHand(viewerId: string): void {
    this.moderate('lower the hand', { type: 'hand.lower', viewerId });
  }

  sendBack(participantId: string): void {
    this.moderate('send back', { type: 'stage.sendback', participantId });
  }

  setChatEnabled(enabled: boolean): void {
    this.moderate(enabled ? 'switch the chat on' : 'switch the chat off', { type: 'chat.enable', enabled });
  }

  removeChat(messageId: string): void {
    this.moderate('remove the message', { type: 'chat.remove', messageId });
  }

  banViewer(viewerId: string, reason: string): void {
    this.moderate('ban', { type: 'viewer.ban', viewerId, reason });
  }

  // ------------------------------------------------------------------ measurements

  private startLoops(): void {
    this.stopLoops();
    this.statsTimer = window.setInterval(() => void this.sampleStats(), STATS_INTERVAL_MS);
    this.speakerTimer = window.setInterval(() => this.sampleLevels(), SPEAKER_INTERVAL_MS);
  }

  private stopLoops(): void {
    window.clearInterval(this.statsTimer);
    window.clearInterval(this.speakerTimer);
  }

  /** Sends video, as far as the tiles and quality are concerned. */
  expectsVideo(participantId: string): boolean {
    if (participantId === this.room.selfId) return this.cameraOn && this.media.video !== null;
    const participant = this.room.participants.get(participantId);
    if (participant === undefined) return false;
    for (const t of participant.tracks.values()) if (t.kind === 'video' && !t.muted) return true;
    return false;
  }

  private async sampleStats(): Promise<void> {
    const pc = this.pc;
    if (pc === null || this.statsRunning) return;
    if (pc.connectionState !== 'connected') {
      // Before media flows (or after it stopped) counters say nothing about the path's quality.
      if (this.quality.size > 0) {
        this.quality.clear();
        this.previousStats.clear();
        this.events.changed();
      }
      return;
    }
    this.statsRunning = true;
    try {
      const report = await pc.getStats();
      const stats: RawStats[] = [];
      report.forEach((entry: RawStats) => stats.push(entry));
      const now = performance.timeOrigin + performance.now();
      const remote = remoteSnapshots(stats, (mid) => this.midMap.get(mid)?.participantId, (id) => this.expectsVideo(id), now);
      for (const [participantId, snapshot] of remote) {
        this.quality.set(participantId, computeQuality(this.previousStats.get(participantId), snapshot));
        this.previousStats.set(participantId, snapshot);
      }
      const selfId = this.room.selfId;
      if (selfId !== null && this.transceivers.size > 0) {
        const snapshot = localSnapshot(stats, this.expectsVideo(selfId), now);
        this.quality.set(selfId, computeQuality(this.previousStats.get(selfId), snapshot));
        this.previousStats.set(selfId, snapshot);
      }
      this.events.changed();
    } catch {
      // A closed connection has no stats; the next sample or teardown settles it.
    } finally {
      this.statsRunning = false;
    }
  }

  /**
   * Samples audio levels for the speaker highlight. Remote levels come from each audio
   * receiver's synchronization source (the RFC 6464 level of the latest packets, which the
   * browser also reports as inbound-rtp `audioLevel`), cheap enough for four times a second; the
   * local level from the microphone's analyser.
   */
  private sampleLevels(): void {
    if (this.serverSpeaker) return;
    const levels = new Map<string, number>();
    const now = performance.timeOrigin + performance.now();
    for (const media of this.remoteMedia.values()) {
      if (media.kind !== 'audio') continue;
      const muted = this.room.participants.get(media.participantId)?.tracks.get(media.trackId)?.muted ?? false;
      const source = media.receiver.getSynchronizationSources()[0];
      const fresh = source !== undefined && now - source.timestamp < LEVEL_MAX_AGE_MS;
      const level = !muted && fresh ? (source.audioLevel ?? 0) : 0;
      levels.set(media.participantId, Math.max(levels.get(media.participantId) ?? 0, level));
    }
    const selfId = this.room.selfId;
    if (selfId !== null) levels.set(selfId, this.micOn ? this.media.level() : 0);
    const speaker = this.detector.update(levels, now);
    if (speaker !== this.speaker) {
      this.speaker = speaker;
      this.events.changed();
    }
  }
}
