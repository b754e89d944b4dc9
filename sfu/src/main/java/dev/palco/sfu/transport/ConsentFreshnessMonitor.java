package dev.palco.sfu.transport;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.ice4j.StunResponseEvent;
import org.ice4j.StunTimeoutEvent;
import org.ice4j.ResponseCollector;
import org.ice4j.TransportAddress;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.AttributeFactory;
import org.ice4j.attribute.MessageIntegrityAttribute;
import org.ice4j.ice.Agent;
import org.ice4j.ice.CandidatePair;
import org.ice4j.ice.CandidateType;
import org.ice4j.ice.IceMediaStream;
import org.ice4j.ice.LocalCandidate;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Request;
import org.ice4j.message.Response;
import org.ice4j.stack.RawMessage;
import org.ice4j.stack.TransactionID;

/**
 * STUN consent freshness (RFC 7675) for the selected pair of one ice4j agent.
 *
 * <p><b>Why not ice4j's own.</b> This ice4j build can send consent requests itself
 * ({@code Agent.setPerformConsentFreshness}), but its interval, back-off and retransmission count are
 * process-wide ({@code ice4j.consent-freshness.*} in ice4j's typesafe config, read once per Agent), it
 * does not report expiry (it only fires {@code PairConsentFreshnessChanged} on success), and it does not
 * authenticate the response. This monitor keeps ice4j's STUN stack for transactions and
 * retransmissions and adds what RFC 7675 §5.1 requires per transport:
 * <ul>
 *   <li>a Binding request on the selected pair every {@code intervalMs}, randomised to 0.8–1.2 of it
 *       so that many transports do not fire in step;</li>
 *   <li>a new transaction ID for each request (ice4j matches the response to it);</li>
 *   <li>a response counts only if it is a success response, comes from the address the request went
 *       to, and its MESSAGE-INTEGRITY verifies with the peer's password (RFC 5389 §15.4);</li>
 *   <li>consent expires {@code timeoutMs} after the last such response; the owner must then stop
 *       sending on the pair.</li>
 * </ul>
 * Runs on a shared scheduler: no thread of its own.
 */
public final class ConsentFreshnessMonitor {
    /** RFC 5389 §15.4: HMAC-SHA1 output size. */
    private static final int HMAC_SHA1_SIZE_BYTES = 20;
    /** MESSAGE-INTEGRITY attribute header plus value. */
    private static final int MESSAGE_INTEGRITY_ATTRIBUTE_SIZE_BYTES = 4 + HMAC_SHA1_SIZE_BYTES;
    /** STUN header size (RFC 5389 §6). */
    private static final int STUN_HEADER_SIZE_BYTES = 20;
    /** RFC 5389 §7.2.1 initial RTO, used between retransmissions of one consent request. */
    private static final int RETRANSMISSION_WAIT_MS = 500;

    private final Agent agent;
    private final IceMediaStream stream;
    private volatile CandidatePair pair;
    private final ScheduledExecutorService scheduler;
    private final long intervalMs;
    private final long timeoutNanos;
    private final LongSupplier nanoClock;
    private final TransportCounters counters;
    private final Runnable onConsentLost;
    private final Runnable tick = this::tick;

    private volatile long lastConsentNanos;
    private volatile boolean stopped;
    private ScheduledFuture<?> next;

    /**
     * @param agent the agent whose selected pair is checked
     * @param stream its only stream
     * @param pair the selected pair
     * @param scheduler shared timer
     * @param intervalMs mean interval between requests
     * @param timeoutMs consent lifetime after the last authenticated response
     * @param nanoClock monotonic clock ({@code System::nanoTime} outside tests)
     * @param counters where requests and responses are counted
     * @param onConsentLost called once, on the scheduler thread, when consent expires
     */
    public ConsentFreshnessMonitor(Agent agent, IceMediaStream stream, CandidatePair pair,
            ScheduledExecutorService scheduler, long intervalMs, long timeoutMs, LongSupplier nanoClock,
            TransportCounters counters, Runnable onConsentLost) {
        this.agent = agent;
        this.stream = stream;
        this.pair = pair;
        this.scheduler = scheduler;
        this.intervalMs = intervalMs;
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        this.nanoClock = nanoClock;
        this.counters = counters;
        this.onConsentLost = onConsentLost;
    }

    /** Starts the timer. The successful connectivity check counts as the first consent. */
    public synchronized void start() {
        lastConsentNanos = nanoClock.getAsLong();
        scheduleNext();
    }

    /** Stops sending; idempotent. Responses still in flight are ignored. */
    public synchronized void stop() {
        stopped = true;
        if (next != null) {
            next.cancel(false);
            next = null;
        }
    }

    /**
     * Checks {@code selected} from now on: the peer moved media to another valid pair. The peer's
     * nominating check on it is fresh proof of consent, so the lifetime restarts.
     *
     * @param selected the pair now selected
     */
    public void follow(CandidatePair selected) {
        pair = selected;
        lastConsentNanos = nanoClock.getAsLong();
    }

    /** @return the pair being checked */
    public CandidatePair pair() {
        return pair;
    }

    /** @return nanoseconds since the last authenticated consent response */
    public long nanosSinceLastConsent() {
        return nanoClock.getAsLong() - lastConsentNanos;
    }

    private synchronized void scheduleNext() {
        if (stopped) {
            return;
        }
        // RFC 7675 §5.1: randomise each interval to 0.8-1.2 of the mean.
        long delayMs = (long) (intervalMs * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
        next = scheduler.schedule(tick, Math.max(1, delayMs), TimeUnit.MILLISECONDS);
    }

    private void tick() {
        if (stopped) {
            return;
        }
        if (nanosSinceLastConsent() > timeoutNanos) {
            stop();
            onConsentLost.run();
            return;
        }
        sendRequest();
        scheduleNext();
    }

    private void sendRequest() {
        CandidatePair target = pair;
        try {
            Request request = MessageFactory.createBindingRequest();
            LocalCandidate local = target.getLocalCandidate();
            // Same attributes as a connectivity check (RFC 8445 §7.1.1), without USE-CANDIDATE.
            request.putAttribute(AttributeFactory.createPriorityAttribute(
                    local.computePriorityForType(CandidateType.PEER_REFLEXIVE_CANDIDATE)));
            long tieBreaker = agent.getTieBreaker();
            request.putAttribute(agent.isControlling()
                    ? AttributeFactory.createIceControllingAttribute(tieBreaker)
                    : AttributeFactory.createIceControlledAttribute(tieBreaker));
            String username = agent.generateLocalUserName(stream.getName());
            request.putAttribute(AttributeFactory.createUsernameAttribute(username));
            MessageIntegrityAttribute integrity = AttributeFactory.createMessageIntegrityAttribute(username);
            integrity.setMedia(stream.getName()); // ice4j signs with the remote password of this stream
            request.putAttribute(integrity);

            int retransmissions = (int) Math.max(0, intervalMs / RETRANSMISSION_WAIT_MS - 1);
            int waitMs = (int) Math.min(RETRANSMISSION_WAIT_MS, intervalMs);
            TransportAddress to = target.getRemoteCandidate().getTransportAddress();
            agent.getStunStack().sendRequest(request, to,
                    local.getBase().getTransportAddress(), new Collector(to), TransactionID.createNewTransactionID(),
                    waitMs, waitMs, Math.min(retransmissions, 6));
            counters.consentRequestSent();
        } catch (Exception e) {
            // The socket may be closing; expiry will be reported by the timer if it stays unusable.
            counters.sendFailed();
        }
    }

    /** One request's response handler: it knows where that request went. */
    private final class Collector implements ResponseCollector {
        private final TransportAddress to;

        Collector(TransportAddress to) {
            this.to = to;
        }

        @Override
        public void processResponse(StunResponseEvent event) {
            if (stopped) {
                return;
            }
            boolean ok = isAuthenticSuccess(event, to);
            counters.consentResponse(ok);
            if (ok) {
                lastConsentNanos = nanoClock.getAsLong();
            }
        }

        @Override
        public void processTimeout(StunTimeoutEvent event) {
            // Nothing to do: expiry is decided by time since the last good response, not per request.
        }
    }

    private boolean isAuthenticSuccess(StunResponseEvent event, TransportAddress to) {
        Response response = event.getResponse();
        if (response == null || !response.isSuccessResponse()) {
            return false;
        }
        // RFC 7675 §5.1 / RFC 8445 §7.2.5.2.1: the response must come from where the request went.
        TransportAddress from = event.getRemoteAddress();
        if (from == null || !from.getAddress().equals(to.getAddress()) || from.getPort() != to.getPort()) {
            return false;
        }
        Attribute attribute = response.getAttribute(Attribute.MESSAGE_INTEGRITY);
        String remotePassword = stream.getRemotePassword();
        if (!(attribute instanceof MessageIntegrityAttribute) || remotePassword == null) {
            return false;
        }
        return integrityMatches((MessageIntegrityAttribute) attribute, event.getRawMessage(),
                remotePassword.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * RFC 5389 §15.4: the HMAC covers the message up to the MESSAGE-INTEGRITY attribute, with the
     * header's length field set as if the message ended right after that attribute.
     *
     * <pre>
     *  0                   1                   2                   3
     *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |0 0|     STUN Message Type     |         Message Length        |
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |                 Magic Cookie, Transaction ID ...              |
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |  attributes before MESSAGE-INTEGRITY (covered by the HMAC)    |
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |  MESSAGE-INTEGRITY (type 0x0008, length 20, HMAC-SHA1)        |
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * </pre>
     */
    static boolean integrityMatches(MessageIntegrityAttribute attribute, RawMessage raw, byte[] key) {
        if (raw == null) {
            return false;
        }
        byte[] bytes = raw.getBytes();
        int length = raw.getMessageLength();
        int location = attribute.getLocationInMessage();
        if (location < STUN_HEADER_SIZE_BYTES || location + MESSAGE_INTEGRITY_ATTRIBUTE_SIZE_BYTES > length) {
            return false;
        }
        byte[] covered = Arrays.copyOf(bytes, location);
        int adjustedLength = location - STUN_HEADER_SIZE_BYTES + MESSAGE_INTEGRITY_ATTRIBUTE_SIZE_BYTES;
        covered[2] = (byte) (adjustedLength >>> 8);
        covered[3] = (byte) adjustedLength;
        byte[] expected = MessageIntegrityAttribute.calculateHmacSha1(covered, 0, location, key);
        return MessageDigest.isEqual(expected, attribute.getHmacSha1Content());
    }
}
