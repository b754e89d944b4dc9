package dev.palco.sfu.room;

import dev.palco.rtp.dtls.DtlsFingerprint;
import dev.palco.sfu.sdp.Fingerprint;
import dev.palco.sfu.sdp.IceCandidate;
import dev.palco.sfu.sdp.LocalTransport;
import dev.palco.sfu.sdp.MediaDescription;
import dev.palco.sfu.sdp.NegotiatedSession;
import dev.palco.sfu.sdp.SdpNegotiationException;
import dev.palco.sfu.sdp.SessionDescription;
import dev.palco.sfu.transport.CandidateDescription;
import dev.palco.sfu.transport.IceCredentials;
import dev.palco.sfu.transport.WebRtcTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Negotiates a {@link WebRtcTransport} through SDP: states the SFU's ICE credentials, candidates
 * and certificate fingerprint in each description, and hands the peer's to the transport.
 *
 * <p>The SFU gathers every candidate before the first description (host candidates on the shared
 * port, ICE-TCP, the 1:1 NAT mapping), so its descriptions carry them all with end-of-candidates
 * and it never trickles. The peer's candidates come in the description and, trickled, straight to
 * the transport.
 */
public final class WebRtcNegotiation implements TransportNegotiation {
  private final WebRtcTransport transport;
  private String remoteUfrag;
  private String remotePwd;
  private boolean checksStarted;

  public WebRtcNegotiation(WebRtcTransport transport) {
    this.transport = transport;
  }

  @Override
  public synchronized LocalTransport localTransport() {
    IceCredentials credentials = transport.localIceCredentials();
    List<IceCandidate> candidates = new ArrayList<>();
    for (CandidateDescription c : transport.localCandidates()) {
      candidates.add(toSdp(c));
    }
    String fingerprint = transport.localFingerprint().toSdp();
    int space = fingerprint.indexOf(' ');
    Fingerprint sdpFingerprint =
        new Fingerprint(fingerprint.substring(0, space), fingerprint.substring(space + 1));
    return new LocalTransport(credentials.ufrag(), credentials.pwd(), List.of(), false,
        List.of(sdpFingerprint), candidates, true);
  }

  @Override
  public synchronized void beforeAnswer(SessionDescription offer) {
    String ufrag = offer.iceUfrag();
    for (MediaDescription media : offer.media()) {
      if (ufrag == null) {
        ufrag = media.iceUfrag();
      }
    }
    // RFC 8839 §4.4.1.1.1: new credentials in an offer restart ICE, and the answer must carry new
    // credentials of ours too.
    if (remoteUfrag != null && ufrag != null && !ufrag.equals(remoteUfrag)) {
      try {
        transport.restartIce();
      } catch (IOException e) {
        throw new UncheckedIOException("ICE restart of " + transport.id() + " failed", e);
      }
      checksStarted = false;
    }
  }

  @Override
  public synchronized void applyRemote(NegotiatedSession session) {
    transport.setRemoteFingerprint(pickFingerprint(session.remoteFingerprints()));
    if (!session.remoteIceUfrag().equals(remoteUfrag) || !session.remoteIcePwd().equals(remotePwd)) {
      remoteUfrag = session.remoteIceUfrag();
      remotePwd = session.remoteIcePwd();
      transport.setRemoteIceCredentials(remoteUfrag, remotePwd);
    }
    for (IceCandidate candidate : session.remoteCandidates()) {
      CandidateDescription description = fromSdp(candidate);
      if (description != null) {
        transport.addRemoteCandidate(description);
      }
    }
    // Checks start with the first agreement, whether or not candidates came with it: trickled
    // candidates join the running checks (RFC 8838 §4.3).
    if (!checksStarted) {
      checksStarted = true;
      transport.startConnectivityChecks();
    }
  }

  /**
   * The strongest fingerprint we can check (RFC 8122 §5: an endpoint may send several).
   *
   * @throws SdpNegotiationException when none uses a hash we know
   */
  private static DtlsFingerprint pickFingerprint(List<Fingerprint> fingerprints) {
    DtlsFingerprint best = null;
    for (Fingerprint f : fingerprints) {
      try {
        DtlsFingerprint candidate = DtlsFingerprint.parse(f.hashFunction() + " " + f.value());
        if (best == null || rank(candidate.hashName()) > rank(best.hashName())) {
          best = candidate;
        }
      } catch (IllegalArgumentException e) {
        // An unknown or refused hash (MD5): try the next one.
      }
    }
    if (best == null) {
      throw SdpNegotiationException.session("no usable DTLS fingerprint (need sha-1 or a SHA-2 hash)");
    }
    return best;
  }

  private static int rank(String hashName) {
    return switch (hashName.toLowerCase(Locale.ROOT)) {
      case "sha-512" -> 5;
      case "sha-384" -> 4;
      case "sha-256" -> 3;
      case "sha-224" -> 2;
      default -> 1;
    };
  }

  /** The SDP form of a transport candidate (RFC 8839 §5.1). */
  public static IceCandidate toSdp(CandidateDescription c) {
    IceCandidate.TcpType tcpType = switch (c.tcpType()) {
      case NONE -> null;
      case ACTIVE -> IceCandidate.TcpType.ACTIVE;
      case PASSIVE -> IceCandidate.TcpType.PASSIVE;
      case SO -> IceCandidate.TcpType.SO;
    };
    return IceCandidate.of(c.foundation(), c.componentId(),
        c.protocol() == CandidateDescription.Protocol.TCP ? IceCandidate.Transport.TCP
            : IceCandidate.Transport.UDP,
        c.priority(), c.address(), c.port(), IceCandidate.Type.valueOf(c.type().name()),
        c.relatedAddress(), c.relatedPort(), tcpType);
  }

  /**
   * The transport's form of a peer candidate, or null for one it cannot use. Browsers hide host
   * addresses behind mDNS names (draft-ietf-mmusic-mdns-ice-candidates §3.1.1); the SFU does not
   * resolve them, and learns the address as peer-reflexive from the browser's checks instead.
   */
  public static CandidateDescription fromSdp(IceCandidate c) {
    if (!isIpLiteral(c.address())) {
      return null;
    }
    CandidateDescription.TcpType tcpType = c.tcpType() == null ? CandidateDescription.TcpType.NONE
        : CandidateDescription.TcpType.valueOf(c.tcpType().name());
    try {
      return new CandidateDescription(c.foundation(), c.componentId(),
          c.transport() == IceCandidate.Transport.TCP ? CandidateDescription.Protocol.TCP
              : CandidateDescription.Protocol.UDP,
          c.priority(), c.address(), c.port(), CandidateDescription.Type.valueOf(c.type().name()),
          c.relatedAddress(), c.relatedAddress() == null ? -1 : c.relatedPort(), tcpType);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static boolean isIpLiteral(String address) {
    if (address.indexOf(':') >= 0) {
      return true;
    }
    int dots = 0;
    for (int i = 0; i < address.length(); i++) {
      char ch = address.charAt(i);
      if (ch == '.') {
        dots++;
      } else if (ch < '0' || ch > '9') {
        return false;
      }
    }
    return dots == 3;
  }
}
