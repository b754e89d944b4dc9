package dev.palco.sfu.transport;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.CandidateTcpType;
import org.ice4j.ice.CandidateType;
import org.ice4j.ice.Component;
import org.ice4j.ice.LocalCandidate;
import org.ice4j.ice.RemoteCandidate;

/** Converts between ice4j candidates and the plain {@link CandidateDescription} values. */
public final class Ice4jCandidates {
    private Ice4jCandidates() {
    }

    /**
     * @param c an ice4j local candidate
     * @return its SDP field values
     */
    public static CandidateDescription describe(LocalCandidate c) {
        TransportAddress ta = c.getTransportAddress();
        boolean tcp = ta.getTransport() == Transport.TCP;
        TransportAddress related = c.getRelatedAddress();
        CandidateDescription.TcpType tcpType = CandidateDescription.TcpType.NONE;
        if (tcp) {
            CandidateTcpType t = c.getTcpType();
            // A TCP candidate without a tcptype can only be a passive listener here.
            tcpType = t == CandidateTcpType.ACTIVE ? CandidateDescription.TcpType.ACTIVE
                    : t == CandidateTcpType.SO ? CandidateDescription.TcpType.SO
                    : CandidateDescription.TcpType.PASSIVE;
        }
        return new CandidateDescription(
                c.getFoundation(),
                c.getParentComponent().getComponentID(),
                tcp ? CandidateDescription.Protocol.TCP : CandidateDescription.Protocol.UDP,
                c.getPriority(),
                ta.getHostAddress(),
                // RFC 6544 §4.5: active candidates advertise the discard port 9.
                tcpType == CandidateDescription.TcpType.ACTIVE ? 9 : ta.getPort(),
                type(c.getType()),
                related == null ? null : related.getHostAddress(),
                related == null ? -1 : related.getPort(),
                tcpType);
    }

    /**
     * @param d a remote candidate from signaling
     * @param component the component it belongs to
     * @return the ice4j remote candidate
     * @throws IllegalArgumentException if the address is not an IP literal (RFC 8839 §5.1 allows
     *         FQDNs and mDNS names; resolving them is the signaling layer's job)
     */
    public static RemoteCandidate toRemote(CandidateDescription d, Component component) {
        Transport transport = d.protocol() == CandidateDescription.Protocol.TCP ? Transport.TCP : Transport.UDP;
        TransportAddress address = new TransportAddress(literal(d.address()), d.port(), transport);
        RemoteCandidate related = null;
        if (d.relatedAddress() != null && d.relatedPort() >= 0) {
            related = component.findRemoteCandidate(
                    new TransportAddress(literal(d.relatedAddress()), d.relatedPort(), transport));
        }
        RemoteCandidate rc = new RemoteCandidate(address, component, ice4jType(d.type()), d.foundation(),
                d.priority(), related);
        if (d.tcpType() != CandidateDescription.TcpType.NONE) {
            rc.setTcpType(CandidateTcpType.parse(d.tcpType().name().toLowerCase(java.util.Locale.ROOT)));
        }
        return rc;
    }

    private static InetAddress literal(String address) {
        if (!isIpLiteral(address)) {
            throw new IllegalArgumentException("not an IP literal: " + address);
        }
        try {
            return InetAddress.getByName(address); // an IP literal: parsed, never resolved
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad IP literal: " + address, e);
        }
    }

    private static boolean isIpLiteral(String s) {
        if (s.isEmpty()) {
            return false;
        }
        if (s.indexOf(':') >= 0) {
            for (int i = 0; i < s.length(); i++) {
                char ch = s.charAt(i);
                if (!(ch == ':' || ch == '.' || ch == '%' || Character.digit(ch, 16) >= 0)) {
                    return false;
                }
            }
            return true;
        }
        int dots = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '.') {
                dots++;
            } else if (ch < '0' || ch > '9') {
                return false;
            }
        }
        return dots == 3;
    }

    static CandidateDescription.Type type(CandidateType t) {
        switch (t) {
            case SERVER_REFLEXIVE_CANDIDATE:
            case STUN_CANDIDATE:
                return CandidateDescription.Type.SRFLX;
            case PEER_REFLEXIVE_CANDIDATE:
                return CandidateDescription.Type.PRFLX;
            case RELAYED_CANDIDATE:
                return CandidateDescription.Type.RELAY;
            default:
                return CandidateDescription.Type.HOST;
        }
    }

    static CandidateType ice4jType(CandidateDescription.Type t) {
        switch (t) {
            case SRFLX:
                return CandidateType.SERVER_REFLEXIVE_CANDIDATE;
            case PRFLX:
                return CandidateType.PEER_REFLEXIVE_CANDIDATE;
            case RELAY:
                return CandidateType.RELAYED_CANDIDATE;
            default:
                return CandidateType.HOST_CANDIDATE;
        }
    }
}
