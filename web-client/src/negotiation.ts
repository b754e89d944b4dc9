/**
 * Offer/answer on the participant's one RTCPeerConnection, in both directions, with the
 * perfect-negotiation pattern (W3C WebRTC 1.0 §10.7, docs/protocol.md "Glare"):
 *
 * - publishing: the page offers (`publish.offer`) when its local tracks change and applies the
 *   SFU's `publish.answer`;
 * - receiving: the SFU offers (`subscribe.offer`) and the page answers (`subscribe.answer`);
 * - glare: the page is the polite peer. A `subscribe.offer` that crosses its own unanswered
 *   offer rolls that offer back, is answered, and the page then offers again. The server, the
 *   impolite peer, refuses the crossing `publish.offer` with `error` `glare`.
 *
 * Every operation on the peer connection runs on one serial chain, as the browser's own
 * operations chain would, so the state a step checks is the state it acts on. Waiting for the
 * server's reply happens off the chain, so a `subscribe.offer` can be handled meanwhile.
 *
 * The peer connection and the signaling channel are interfaces, so the glare cases are tested
 * without a browser.
 */

import type { CandidateInit, PublishAnswerMessage, PublishedTrack, SubscribeOfferMessage, SubscribedTrack } from './protocol';

/** The part of RTCPeerConnection negotiation needs. */
export interface NegotiablePeer {
  readonly signalingState: string;
  readonly localDescription: { readonly type: string; readonly sdp: string } | null;
  readonly remoteDescription: { readonly type: string; readonly sdp: string } | null;
  /** With no argument: an offer or answer as the state demands (implicit description). */
  setLocalDescription(description?: { type: 'rollback' }): Promise<void>;
  setRemoteDescription(description: { type: 'offer' | 'answer'; sdp: string }): Promise<void>;
  /** With no argument: end of candidates. */
  addIceCandidate(candidate?: CandidateInit): Promise<void>;
  restartIce(): void;
}

/** How negotiation reaches the server. Rejections carry the protocol's error `code`. */
export interface NegotiationChannel {
  publishOffer(sdp: string, tracks: PublishedTrack[]): Promise<PublishAnswerMessage>;
  subscribeAnswer(revision: number, sdp: string): void;
}

export interface NegotiationHooks {
  /** The sending m-lines of the offer just created, mid → source. Called after the mids exist. */
  describeTracks(): PublishedTrack[];
  /** The m-line map of a `subscribe.offer`, given before the offer is applied so `track` events can use it. */
  onRemoteTracks?(tracks: SubscribedTrack[], revision: number): void;
  /** A `publish.answer` was applied. */
  onPublished?(answer: PublishAnswerMessage, tracks: PublishedTrack[]): void;
  /** A step failed in a way retrying will not fix (bad SDP, refused offer). */
  onError?(step: string, error: unknown): void;
  /** Waits before an offer is retried; injectable for tests. */
  delay?(ms: number): Promise<void>;
}

/** Counters, read by tests and the test hook. */
export interface NegotiationCounters {
  offersSent: number;
  answersApplied: number;
  remoteOffers: number;
  answersSent: number;
  rollbacks: number;
  glares: number;
  candidatesAdded: number;
  candidateErrors: number;
}

/** The protocol code of a rejected request, if it has one. */
function codeOf(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return '';
}

/** Codes after which the same offer, made again, may succeed. */
const RETRIABLE = new Set(['glare', 'disconnected', 'timeout', 'not-joined', 'rate-limited', 'internal']);

/** Drives offer/answer for one peer connection as the polite peer. */
export class Negotiator {
  private readonly pc: NegotiablePeer;
  private readonly channel: NegotiationChannel;
  private readonly hooks: NegotiationHooks;
  private chain: Promise<void> = Promise.resolve();
  private wantOffer = false;
  private offerRunning: Promise<void> | null = null;
  private connected = true;
  private closed = false;
  /** The server said an offer of its own comes first: hold ours until it is answered. */
  private holdForRemoteOffer = false;
  private consecutiveGlares = 0;
  private readonly pendingCandidates: (CandidateInit | null)[] = [];
  readonly counters: NegotiationCounters = {
    offersSent: 0,
    answersApplied: 0,
    remoteOffers: 0,
    answersSent: 0,
    rollbacks: 0,
    glares: 0,
    candidatesAdded: 0,
    candidateErrors: 0,
  };

  constructor(pc: NegotiablePeer, channel: NegotiationChannel, hooks: NegotiationHooks) {
    this.pc = pc;
    this.channel = channel;
    this.hooks = hooks;
  }

  /** Local tracks changed (the `negotiationneeded` event): offer as soon as nothing is in the way. */
  requestOffer(): void {
    this.wantOffer = true;
    this.kick();
  }

  /** ICE failed: restart it, which takes a new offer with new credentials. */
  restartIce(): void {
    this.pc.restartIce();
    this.requestOffer();
  }

  /**
   * The server is about to offer (the room already has tracks for us): hold our first offer until
   * that offer is answered, or for at most `timeoutMs`. Offering at once would cross it, and
   * rolling back a peer connection's very first offer leaves Chromium with an ICE transport that
   * never starts its checks.
   */
  expectRemoteOffer(timeoutMs: number): void {
    this.holdForRemoteOffer = true;
    void this.wait(timeoutMs).then(() => {
      if (this.holdForRemoteOffer) {
        this.holdForRemoteOffer = false;
        this.kick();
      }
    });
  }

  /** Signaling is down: hold offers until {@link resume}. */
  pause(): void {
    this.connected = false;
  }

  /** Signaling is back (same seat): send what was held. */
  resume(): void {
    this.connected = true;
    this.kick();
  }

  /** Stops all negotiation; queued steps become no-ops. */
  close(): void {
    this.closed = true;
  }

  /** True when an offer of ours is waiting for its answer. */
  get offerPending(): boolean {
    return this.offerRunning !== null;
  }

  /** Answers a `subscribe.offer`, rolling back a crossing offer of ours first. */
  handleSubscribeOffer(offer: SubscribeOfferMessage): Promise<void> {
    return this.enqueue('answer subscribe.offer', async () => {
      this.counters.remoteOffers++;
      if (this.pc.signalingState !== 'stable') {
        // Glare: we are the polite peer, so our offer yields. The server refuses it with
        // `glare`; it is made again once this answer is out.
        await this.pc.setLocalDescription({ type: 'rollback' });
        this.counters.rollbacks++;
        this.wantOffer = true;
      }
      this.hooks.onRemoteTracks?.(offer.tracks, offer.revision);
      await this.pc.setRemoteDescription({ type: 'offer', sdp: offer.sdp });
      await this.flushCandidates();
      await this.pc.setLocalDescription();
      const answer = this.pc.localDescription;
      if (answer === null || answer.type !== 'answer') throw new Error('no local answer after setLocalDescription');
      this.channel.subscribeAnswer(offer.revision, answer.sdp);
      this.counters.answersSent++;
    }).then(() => {
      this.holdForRemoteOffer = false;
      this.kick();
    });
  }

  /** Adds a server candidate; held until a remote description exists to add it to. */
  handleRemoteCandidate(candidate: CandidateInit | null): Promise<void> {
    return this.enqueue('add candidate', async () => {
      if (this.pc.remoteDescription === null) {
        this.pendingCandidates.push(candidate);
        return;
      }
      await this.addCandidate(candidate);
    });
  }

  /** Resolves once no step is queued and no offer is waiting for its answer. */
  async whenIdle(): Promise<void> {
    for (;;) {
      const chain = this.chain;
      const offer = this.offerRunning;
      await chain;
      if (offer !== null) await offer;
      if (chain === this.chain && this.offerRunning === null) return;
    }
  }

  private enqueue(step: string, op: () => Promise<void>): Promise<void> {
    const next = this.chain.then(async () => {
      if (this.closed) return;
      try {
        await op();
      } catch (e) {
        this.hooks.onError?.(step, e);
      }
    });
    this.chain = next;
    return next;
  }

  private kick(): void {
    if (!this.wantOffer || this.offerRunning !== null || !this.connected || this.closed || this.holdForRemoteOffer) return;
    this.wantOffer = false;
    const running = this.offerOnce().finally(() => {
      this.offerRunning = null;
      this.kick();
    });
    this.offerRunning = running;
  }

  /** One publish round: create the offer, send it, apply the answer or deal with the refusal. */
  private async offerOnce(): Promise<void> {
    let offered: { sdp: string; tracks: PublishedTrack[] } | null = null;
    await this.enqueue('create offer', async () => {
      if (this.pc.signalingState !== 'stable') {
        // A remote offer is half applied (its step failed): wait for the next one to clear it.
        this.wantOffer = true;
        return;
      }
      await this.pc.setLocalDescription();
      const local = this.pc.localDescription;
      if (local === null || local.type !== 'offer') throw new Error('no local offer after setLocalDescription');
      offered = { sdp: local.sdp, tracks: this.hooks.describeTracks() };
    });
    // Assigned inside the step above, which the compiler cannot see.
    const sent = offered as { sdp: string; tracks: PublishedTrack[] } | null;
    if (sent === null || this.closed) return;

    let answer: PublishAnswerMessage;
    try {
      this.counters.offersSent++;
      answer = await this.channel.publishOffer(sent.sdp, sent.tracks);
    } catch (error) {
      await this.onOfferRefused(error);
      return;
    }
    this.consecutiveGlares = 0;
    await this.enqueue('apply publish.answer', async () => {
      if (this.pc.signalingState !== 'have-local-offer') {
        // A crossing subscribe.offer rolled our offer back: this answer is for an offer that no
        // longer exists. Offer again.
        this.wantOffer = true;
        return;
      }
      await this.pc.setRemoteDescription({ type: 'answer', sdp: answer.sdp });
      this.counters.answersApplied++;
      await this.flushCandidates();
      this.hooks.onPublished?.(answer, sent.tracks);
    });
  }

  private async onOfferRefused(error: unknown): Promise<void> {
    const code = codeOf(error);
    if (code === 'glare') {
      // The server's subscribe.offer reached us before this refusal did, so its answer step is
      // already queued ahead of any new offer: the re-offer starts from a stable state.
      this.counters.glares++;
      this.consecutiveGlares++;
      this.wantOffer = true;
      await this.rollbackOwnOffer();
      if (this.consecutiveGlares > 2) await this.wait(Math.min(2000, 100 * 2 ** this.consecutiveGlares));
      return;
    }
    await this.rollbackOwnOffer();
    if (RETRIABLE.has(code)) {
      this.wantOffer = true;
      if (code === 'rate-limited' || code === 'internal') await this.wait(1000);
      return;
    }
    this.hooks.onError?.('publish.offer', error);
  }

  private rollbackOwnOffer(): Promise<void> {
    return this.enqueue('roll back refused offer', async () => {
      if (this.pc.signalingState === 'have-local-offer') {
        await this.pc.setLocalDescription({ type: 'rollback' });
        this.counters.rollbacks++;
      }
    });
  }

  private wait(ms: number): Promise<void> {
    if (this.hooks.delay !== undefined) return this.hooks.delay(ms);
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  private async flushCandidates(): Promise<void> {
    const held = this.pendingCandidates.splice(0);
    for (const candidate of held) await this.addCandidate(candidate);
  }

  private async addCandidate(candidate: CandidateInit | null): Promise<void> {
    try {
      if (candidate === null) await this.pc.addIceCandidate();
      else await this.pc.addIceCandidate(candidate);
      this.counters.candidatesAdded++;
    } catch {
      // A candidate for a description that was rolled back, or one the browser cannot use: ICE
      // carries on with the others, as RFC 8838 §11 expects.
      this.counters.candidateErrors++;
    }
  }
}
