package dev.palco.bridge.origin;

/**
 * What the origin answers, independent of the HTTP stack: status, the headers that matter for HLS
 * and CDNs, and the body. Immutable.
 *
 * @param status HTTP status code
 * @param contentType Content-Type, or null
 * @param cacheControl Cache-Control, or null
 * @param gzip whether the body is gzip-encoded (Content-Encoding: gzip)
 * @param varyAcceptEncoding whether the body depends on Accept-Encoding
 * @param body the body; empty for errors
 */
public record OriginResponse(int status, String contentType, String cacheControl, boolean gzip,
        boolean varyAcceptEncoding, byte[] body) {

    private static final byte[] EMPTY = new byte[0];

    /** An error or empty answer with a short cache lifetime. */
    public static OriginResponse status(int status, String cacheControl) {
        return new OriginResponse(status, null, cacheControl, false, false, EMPTY);
    }

    /** The same headers with a body that is sent separately (chunked). */
    public OriginResponse headOnly() {
        return new OriginResponse(status, contentType, cacheControl, gzip, varyAcceptEncoding, EMPTY);
    }
}
