package dev.palco.signaling;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palco.turn.IceServer;
import dev.palco.turn.IceServerList;
import java.time.Clock;
import java.util.Objects;

/**
 * The {@code iceServers} a client is given when it joins ({@code joined}) or opens a WHIP/WHEP
 * session ({@code Link} headers): the fixed entries of {@code palco.ice-servers}, then, when TURN
 * is configured, a STUN entry and a TURN entry with a credential issued for that participant at
 * that moment. Every call issues a new credential, so a credential seen in one session is no use
 * past its TTL.
 *
 * <p>Immutable and thread-safe.
 */
public final class IceServers {

  private final ArrayNode fixed;
  private final IceServerList turn;
  private final Clock clock;

  private IceServers(ArrayNode fixed, IceServerList turn, Clock clock) {
    this.fixed = fixed.deepCopy();
    this.turn = turn;
    this.clock = clock;
  }

  /** Only the fixed entries (RTCIceServer objects), the same for everyone. */
  public static IceServers fixed(ArrayNode entries) {
    return new IceServers(Objects.requireNonNull(entries, "entries"), null, null);
  }

  /** The fixed entries, then TURN with fresh credentials timed by {@code clock}. */
  public static IceServers withTurn(ArrayNode entries, IceServerList turn, Clock clock) {
    return new IceServers(
        Objects.requireNonNull(entries, "entries"), Objects.requireNonNull(turn, "turn"), Objects.requireNonNull(clock, "clock"));
  }

  /** The fixed entries (a copy). */
  public ArrayNode fixedEntries() {
    return fixed.deepCopy();
  }

  /** Whether TURN credentials are issued. */
  public boolean issuesTurnCredentials() {
    return turn != null;
  }

  /**
   * The entries for one participant, as RTCIceServer JSON objects.
   *
   * @param userId whom a TURN credential is issued to; coturn counts its {@code user-quota} per id
   */
  public ArrayNode forParticipant(String userId) {
    ArrayNode out = fixed.deepCopy();
    if (turn != null) {
      for (IceServer server : turn.forParticipant(userId, clock.instant())) {
        ObjectNode entry = out.addObject();
        ArrayNode urls = entry.putArray("urls");
        server.urls().forEach(urls::add);
        if (server.hasCredential()) {
          entry.put("username", server.username());
          entry.put("credential", server.credential());
        }
      }
    }
    return out;
  }
}
