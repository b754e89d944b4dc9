package dev.palco.rtp.dtls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * A certificate fingerprint as signaled in SDP (RFC 8122 §5):
 *
 * <pre>
 * attribute         = "fingerprint" ":" hash-func SP fingerprint
 * hash-func         = "sha-1" / "sha-224" / "sha-256" / "sha-384" / "sha-512" / ...
 * fingerprint       = 2UHEX *(":" 2UHEX)   ; upper-case hex bytes of the DER certificate's hash
 * </pre>
 *
 * Parsing is case-insensitive in both the hash name and the hex digits (browsers send upper-case
 * hex; some stacks send lower). MD5 and MD2 are refused (RFC 8122 §5: they MUST NOT be used).
 * Immutable; equality is by hash name and digest.
 */
public final class DtlsFingerprint {
    private static final String[][] HASHES = {
        // RFC 8122 name, JCA MessageDigest name, digest length in bytes
        {"sha-1", "SHA-1", "20"},
        {"sha-224", "SHA-224", "28"},
        {"sha-256", "SHA-256", "32"},
        {"sha-384", "SHA-384", "48"},
        {"sha-512", "SHA-512", "64"},
    };

    private final String hashName;
    private final String jcaName;
    private final byte[] digest;

    private DtlsFingerprint(String[] hash, byte[] digest) {
        this.hashName = hash[0];
        this.jcaName = hash[1];
        this.digest = digest;
    }

    private static String[] hash(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (String[] h : HASHES) {
            if (h[0].equals(lower)) {
                return h;
            }
        }
        throw new IllegalArgumentException("unsupported fingerprint hash function: " + name);
    }

    /**
     * Parses the value of an a=fingerprint attribute, e.g. {@code "sha-256 AB:CD:..."}.
     *
     * @throws IllegalArgumentException if the hash is unknown or refused, or the hex is malformed
     *     or of the wrong length for the hash
     */
    public static DtlsFingerprint parse(String sdpValue) {
        Objects.requireNonNull(sdpValue, "sdpValue");
        String trimmed = sdpValue.trim();
        int space = trimmed.indexOf(' ');
        if (space < 0) {
            throw new IllegalArgumentException("fingerprint needs '<hash-func> <hex>': " + sdpValue);
        }
        String[] h = hash(trimmed.substring(0, space));
        String hex = trimmed.substring(space + 1).trim();
        int expected = Integer.parseInt(h[2]);
        // 2 hex digits per byte, ':' between bytes.
        if (hex.length() != expected * 3 - 1) {
            throw new IllegalArgumentException(h[0] + " fingerprint must have " + expected
                    + " colon-separated bytes: " + sdpValue);
        }
        byte[] digest = new byte[expected];
        for (int i = 0; i < expected; i++) {
            int at = 3 * i;
            if (i > 0 && hex.charAt(at - 1) != ':') {
                throw new IllegalArgumentException("expected ':' at " + (at - 1) + ": " + sdpValue);
            }
            int hi = Character.digit(hex.charAt(at), 16);
            int lo = Character.digit(hex.charAt(at + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("bad hex digit near " + at + ": " + sdpValue);
            }
            digest[i] = (byte) (hi << 4 | lo);
        }
        return new DtlsFingerprint(h, digest);
    }

    /**
     * The fingerprint of a DER-encoded certificate under an RFC 8122 hash name.
     *
     * @throws IllegalArgumentException if the hash name is unknown or refused
     */
    public static DtlsFingerprint of(String hashName, byte[] derCertificate) {
        String[] h = hash(hashName);
        return new DtlsFingerprint(h, digest(h[1], derCertificate));
    }

    private static byte[] digest(String jcaName, byte[] data) {
        try {
            return MessageDigest.getInstance(jcaName).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(jcaName + " missing from the JDK", e);
        }
    }

    /** The RFC 8122 hash name, lower case, e.g. {@code "sha-256"}. */
    public String hashName() {
        return hashName;
    }

    /** True if this fingerprint is that of {@code derCertificate}, compared in constant time. */
    public boolean matches(byte[] derCertificate) {
        return MessageDigest.isEqual(digest, digest(jcaName, derCertificate));
    }

    /** The a=fingerprint attribute value: {@code "sha-256 AB:CD:..."} with upper-case hex. */
    public String toSdp() {
        StringBuilder sb = new StringBuilder(hashName.length() + 1 + digest.length * 3);
        sb.append(hashName).append(' ');
        for (int i = 0; i < digest.length; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(Character.toUpperCase(Character.forDigit((digest[i] >> 4) & 0xF, 16)));
            sb.append(Character.toUpperCase(Character.forDigit(digest[i] & 0xF, 16)));
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DtlsFingerprint && ((DtlsFingerprint) o).hashName.equals(hashName)
                && Arrays.equals(((DtlsFingerprint) o).digest, digest);
    }

    @Override
    public int hashCode() {
        return hashName.hashCode() * 31 + Arrays.hashCode(digest);
    }

    @Override
    public String toString() {
        return toSdp();
    }
}
