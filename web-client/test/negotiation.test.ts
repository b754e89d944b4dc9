import { describe, expect, it } from 'vitest';
import { type NegotiablePeer, type NegotiationHooks, Negotiator } from '../src/negotiation';
import type { CandidateInit, PublishAnswerMessage, PublishedTrack, SubscribeOfferMessage } from '../src/protocol';
import { flush } from './fakes';

type Description = { type: string; sdp: string };

/**
 * A peer connection reduced to the JSEP signaling state machine (RFC 9429 §3.2, W3C WebRTC §4.3.1):
 * offers and answers move it between stable, have-local-offer and have-remote-offer, rollback
 * restores the last stable descriptions, and anything else throws InvalidStateError like a
 * browser. It never rolls back implicitly, so the tests see the negotiator do it.
 */
class FakePeer implements NegotiablePeer {
  signalingState = 'stable';
  localDescription: Description | null = null;
  remoteDescription: Description | null = null;
  private stableLocal: Description | null = null;
  private stableRemote: Description | null = null;
  private offers = 0;
  readonly log: string[] = [];
  readonly candidates: (CandidateInit | undefined)[] = [];
  iceRestarts = 0;

  private fail(what: string): never {
    throw new DOMException(`${what} in state ${this.signalingState}`, 'InvalidStateError');
  }

  async setLocalDescription(description?: { type: 'rollback' }): Promise<void> {
    await Promise.resolve();
    if (description?.type === 'rollback') {
      if (this.signalingState === 'stable') this.fail('rollback');
      this.localDescription = this.stableLocal;
      this.remoteDescription = this.stableRemote;
      this.signalingState = 'stable';
      this.log.push('rollback');
      return;
    }
    if (this.signalingState === 'stable' || this.signalingState === 'have-local-offer') {
      this.localDescription = { type: 'offer', sdp: `offer-${++this.offers}` };
      this.signalingState = 'have-local-offer';
      this.log.push(`local ${this.localDescription.sdp}`);
    } else if (this.signalingState === 'have-remote-offer') {
      this.localDescription = { type: 'answer', sdp: `answer-to-${this.remoteDescription?.sdp}` };
      this.signalingState = 'stable';
      this.stableLocal = this.localDescription;
      this.stableRemote = this.remoteDescription;
      this.log.push(`local ${this.localDescription.sdp}`);
    } else {
      this.fail('setLocalDescription');
    }
  }

  async setRemoteDescription(description: { type: 'offer' | 'answer'; sdp: string }): Promise<void> {
    await Promise.resolve();
    if (description.type === 'offer') {
      if (this.signalingState !== 'stable') this.fail('remote offer');
      this.remoteDescription = description;
      this.signalingState = 'have-remote-offer';
    } else {
      if (this.signalingState !== 'have-local-offer') this.fail('remote answer');
      this.remoteDescription = description;
      this.signalingState = 'stable';
      this.stableLocal = this.localDescription;
      this.stableRemote = description;
    }
    this.log.push(`remote ${description.sdp}`);
  }

  async addIceCandidate(candidate?: CandidateInit): Promise<void> {
    await Promise.resolve();
    if (this.remoteDescription === null) this.fail('addIceCandidate');
    this.candidates.push(candidate);
  }

  restartIce(): void {
    this.iceRestarts++;
  }
}

interface Deferred {
  sdp: string;
  tracks: PublishedTrack[];
  resolve(answer: PublishAnswerMessage): void;
  reject(error: unknown): void;
}

/** The server side of the channel: the test decides when and how each offer is answered. */
class FakeChannel {
  readonly offers: Deferred[] = [];
  readonly answers: { revision: number; sdp: string }[] = [];

  publishOffer(sdp: string, tracks: PublishedTrack[]): Promise<PublishAnswerMessage> {
    return new Promise((resolve, reject) => this.offers.push({ sdp, tracks, resolve, reject }));
  }

  subscribeAnswer(revision: number, sdp: string): void {
    this.answers.push({ revision, sdp });
  }

  offer(index: number): Deferred {
    const offer = this.offers[index];
    if (offer === undefined) throw new Error(`no offer #${index}; offers: ${this.offers.map((o) => o.sdp).join(', ')}`);
    return offer;
  }

  answer(index: number): void {
    const offer = this.offer(index);
    offer.resolve({ type: 'publish.answer', sdp: `answer-to-${offer.sdp}` });
  }

  refuse(index: number, code: string): void {
    this.offer(index).reject(Object.assign(new Error(code), { code }));
  }
}

function subscribeOffer(revision: number): SubscribeOfferMessage {
  return {
    type: 'subscribe.offer',
    revision,
    sdp: `sub-${revision}`,
    tracks: [{ mid: String(revision + 10), participantId: 'p-3', trackId: `t-${revision}`, kind: 'video', source: 'camera' }],
  };
}

function setup(hooks: Partial<NegotiationHooks> = {}) {
  const pc = new FakePeer();
  const channel = new FakeChannel();
  const errors: [string, unknown][] = [];
  const remoteMaps: number[] = [];
  const delays: number[] = [];
  const negotiator = new Negotiator(pc, channel, {
    describeTracks: () => [{ mid: '0', source: 'microphone' }, { mid: '1', source: 'camera' }],
    onRemoteTracks: (_tracks, revision) => remoteMaps.push(revision),
    onError: (step, error) => errors.push([step, error]),
    delay: (ms) => {
      delays.push(ms);
      return Promise.resolve();
    },
    ...hooks,
  });
  return { pc, channel, negotiator, errors, remoteMaps, delays };
}

describe('Negotiator: one direction at a time', () => {
  it('publishes: offer with the mid → source map, then applies the answer', async () => {
    const { pc, channel, negotiator } = setup();
    negotiator.requestOffer();
    await flush();
    expect(channel.offers.map((o) => o.sdp)).toEqual(['offer-1']);
    expect(channel.offer(0).tracks).toEqual([{ mid: '0', source: 'microphone' }, { mid: '1', source: 'camera' }]);
    channel.answer(0);
    await negotiator.whenIdle();
    expect(pc.signalingState).toBe('stable');
    expect(pc.log).toEqual(['local offer-1', 'remote answer-to-offer-1']);
    expect(negotiator.counters).toMatchObject({ offersSent: 1, answersApplied: 1, rollbacks: 0 });
  });

  it('receives: answers a subscribe.offer with its revision, after giving the mid map', async () => {
    const { pc, channel, negotiator, remoteMaps } = setup();
    await negotiator.handleSubscribeOffer(subscribeOffer(4));
    expect(remoteMaps).toEqual([4]);
    expect(channel.answers).toEqual([{ revision: 4, sdp: 'answer-to-sub-4' }]);
    expect(pc.signalingState).toBe('stable');
    expect(channel.offers).toEqual([]);
  });

  it('folds offer requests made while an offer is out into one more offer', async () => {
    const { channel, negotiator } = setup();
    negotiator.requestOffer();
    await flush();
    negotiator.requestOffer();
    negotiator.requestOffer();
    await flush();
    expect(channel.offers).toHaveLength(1);
    channel.answer(0);
    await flush();
    expect(channel.offers).toHaveLength(2);
    channel.answer(1);
    await negotiator.whenIdle();
    expect(negotiator.counters.offersSent).toBe(2);
  });

  it('restarts ICE with a new offer', async () => {
    const { pc, channel, negotiator } = setup();
    negotiator.restartIce();
    await flush();
    expect(pc.iceRestarts).toBe(1);
    expect(channel.offers).toHaveLength(1);
  });
});

describe('Negotiator: glare (the page is the polite peer)', () => {
  it('rolls back its offer for a crossing subscribe.offer, answers, and offers again after the glare error', async () => {
    const { pc, channel, negotiator } = setup();
    negotiator.requestOffer();
    await flush();
    expect(pc.signalingState).toBe('have-local-offer');

    // The server's offer crossed ours: it will refuse ours with glare.
    const answered = negotiator.handleSubscribeOffer(subscribeOffer(1));
    channel.refuse(0, 'glare');
    await answered;
    expect(channel.answers).toEqual([{ revision: 1, sdp: 'answer-to-sub-1' }]);
    await flush();

    expect(channel.offers.map((o) => o.sdp)).toEqual(['offer-1', 'offer-2']);
    channel.answer(1);
    await negotiator.whenIdle();
    expect(pc.log).toEqual(['local offer-1', 'rollback', 'remote sub-1', 'local answer-to-sub-1', 'local offer-2', 'remote answer-to-offer-2']);
    expect(pc.signalingState).toBe('stable');
    expect(negotiator.counters).toMatchObject({ rollbacks: 1, glares: 1, answersSent: 1, answersApplied: 1, offersSent: 2 });
  });

  it('converges when the glare error is handled before the crossing offer arrives', async () => {
    const { pc, channel, negotiator } = setup();
    negotiator.requestOffer();
    await flush();
    channel.refuse(0, 'glare');
    await flush();
    // Out of order: our offer was rolled back and made again before the server's arrived.
    expect(channel.offers).toHaveLength(2);
    const answered = negotiator.handleSubscribeOffer(subscribeOffer(1));
    channel.refuse(1, 'glare');
    await answered;
    await flush();
    expect(channel.offers).toHaveLength(3);
    channel.answer(2);
    await negotiator.whenIdle();
    expect(pc.signalingState).toBe('stable');
    expect(channel.answers).toHaveLength(1);
    expect(pc.log.filter((l) => l === 'rollback')).toHaveLength(2);
  });

  it('drops an answer to an offer it has rolled back, and offers again', async () => {
    const { pc, channel, negotiator } = setup();
    negotiator.requestOffer();
    await flush();
    await negotiator.handleSubscribeOffer(subscribeOffer(1));
    // A server that answered anyway: the answer belongs to a description that is gone.
    channel.answer(0);
    await flush();
    expect(pc.log).not.toContain('remote answer-to-offer-1');
    expect(channel.offers).toHaveLength(2);
    channel.answer(1);
    await negotiator.whenIdle();
    expect(pc.signalingState).toBe('stable');
  });

  it('answers a subscribe.offer that arrives while its own offer is being created', async () => {
    const { pc, channel, negotiator } = setup();
    negotiator.requestOffer();
    // No flush: the subscribe.offer queues behind the offer's creation, like the browser's chain.
    const answered = negotiator.handleSubscribeOffer(subscribeOffer(2));
    await flush();
    channel.refuse(0, 'glare');
    await answered;
    await flush();
    channel.answer(1);
    await negotiator.whenIdle();
    expect(pc.signalingState).toBe('stable');
    expect(channel.answers.map((a) => a.revision)).toEqual([2]);
  });

  it('waits longer between offers when glare repeats', async () => {
    const { channel, negotiator, delays } = setup();
    negotiator.requestOffer();
    for (let i = 0; i < 4; i++) {
      await flush();
      channel.refuse(i, 'glare');
    }
    await flush();
    expect(delays).toEqual([800, 1600]);
    expect(negotiator.counters.glares).toBe(4);
  });
});

describe('Negotiator: the first offer waits for one the server announced', () => {
  it('answers the expected subscribe.offer first, then publishes', async () => {
    let release: () => void = () => {};
    const { pc, channel, negotiator } = setup({ delay: () => new Promise<void>((r) => (release = r)) });
    negotiator.expectRemoteOffer(2000);
    negotiator.requestOffer();
    await flush();
    expect(channel.offers).toEqual([]);
    await negotiator.handleSubscribeOffer(subscribeOffer(1));
    await flush();
    expect(pc.log.slice(0, 2)).toEqual(['remote sub-1', 'local answer-to-sub-1']);
    expect(channel.offers).toHaveLength(1);
    expect(negotiator.counters).toMatchObject({ rollbacks: 0, glares: 0 });
    release();
  });

  it('publishes anyway once the wait runs out', async () => {
    let release: () => void = () => {};
    const { channel, negotiator } = setup({ delay: () => new Promise<void>((r) => (release = r)) });
    negotiator.expectRemoteOffer(2000);
    negotiator.requestOffer();
    await flush();
    expect(channel.offers).toEqual([]);
    release();
    await flush();
    expect(channel.offers).toHaveLength(1);
  });
});

describe('Negotiator: refusals and lost connections', () => {
  it('reports a refused offer it cannot fix, rolls it back, and does not loop', async () => {
    const { pc, channel, negotiator, errors } = setup();
    negotiator.requestOffer();
    await flush();
    channel.refuse(0, 'sdp-invalid');
    await negotiator.whenIdle();
    expect(errors.map(([step]) => step)).toEqual(['publish.offer']);
    expect(pc.signalingState).toBe('stable');
    expect(channel.offers).toHaveLength(1);
  });

  it('holds the offer while signaling is down and sends it on resume', async () => {
    const { pc, channel, negotiator } = setup();
    negotiator.requestOffer();
    await flush();
    negotiator.pause();
    channel.refuse(0, 'disconnected');
    await negotiator.whenIdle();
    expect(pc.signalingState).toBe('stable');
    expect(channel.offers).toHaveLength(1);
    negotiator.resume();
    await flush();
    expect(channel.offers).toHaveLength(2);
  });

  it('reports a subscribe.offer it cannot apply', async () => {
    const { pc, channel, negotiator, errors } = setup();
    pc.setRemoteDescription = () => Promise.reject(new DOMException('bad sdp', 'OperationError'));
    await negotiator.handleSubscribeOffer(subscribeOffer(1));
    expect(errors.map(([step]) => step)).toEqual(['answer subscribe.offer']);
    expect(channel.answers).toEqual([]);
  });

  it('does nothing once closed', async () => {
    const { channel, negotiator } = setup();
    negotiator.close();
    negotiator.requestOffer();
    await negotiator.handleSubscribeOffer(subscribeOffer(1));
    expect(channel.offers).toEqual([]);
    expect(channel.answers).toEqual([]);
  });
});

describe('Negotiator: trickle ICE', () => {
  const candidate: CandidateInit = { candidate: 'candidate:1 1 udp 2122260223 192.0.2.10 54321 typ host', sdpMid: '0', sdpMLineIndex: 0 };

  it('holds candidates until a remote description exists, then adds them in order', async () => {
    const { pc, negotiator } = setup();
    await negotiator.handleRemoteCandidate(candidate);
    await negotiator.handleRemoteCandidate(null);
    expect(pc.candidates).toEqual([]);
    await negotiator.handleSubscribeOffer(subscribeOffer(1));
    // null is end-of-candidates: addIceCandidate() with no argument.
    expect(pc.candidates).toEqual([candidate, undefined]);
    expect(negotiator.counters.candidatesAdded).toBe(2);
  });

  it('adds candidates at once when it can, and counts the ones the browser refuses', async () => {
    const { pc, negotiator } = setup();
    await negotiator.handleSubscribeOffer(subscribeOffer(1));
    await negotiator.handleRemoteCandidate(candidate);
    expect(pc.candidates).toEqual([candidate]);
    pc.addIceCandidate = () => Promise.reject(new DOMException('no such mid', 'OperationError'));
    await negotiator.handleRemoteCandidate(candidate);
    expect(negotiator.counters.candidateErrors).toBe(1);
  });
});
