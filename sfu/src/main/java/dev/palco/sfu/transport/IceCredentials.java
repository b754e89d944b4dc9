package dev.palco.sfu.transport;

import java.util.Objects;

/**
 * An ICE username fragment and password (the SDP {@code a=ice-ufrag} / {@code a=ice-pwd} values).
 *
 * <p>RFC 8839 §5.4: the ufrag carries at least 24 bits of randomness (4 characters) and the password
 * at least 128 bits (22 characters); ice4j generates longer ones. An ICE restart (RFC 8445 §9)
 * is recognised by a change of these values.
 *
 * @param ufrag the username fragment
 * @param pwd the password
 */
public record IceCredentials(String ufrag, String pwd) {
    /** Validates that both values are present. */
    public IceCredentials {
        Objects.requireNonNull(ufrag, "ufrag");
        Objects.requireNonNull(pwd, "pwd");
        if (ufrag.isEmpty() || pwd.isEmpty()) {
            throw new IllegalArgumentException("ICE ufrag and pwd must not be empty");
        }
    }

    /** Never prints the password: it authenticates every connectivity check. */
    @Override
    public String toString() {
        return "IceCredentials[ufrag=" + ufrag + ", pwd=<" + pwd.length() + " chars>]";
    }
}
