package dev.palco.bridge.origin;

/**
 * A parsed origin request: which resource, and the delivery directives of RFC 8216bis §6.2.5.
 *
 * <pre>
 * /index.m3u8                          multivariant playlist
 * /{rendition}.m3u8[?_HLS_msn=M[&amp;_HLS_part=N]][&amp;_HLS_skip=YES|v2]   media playlist
 * /{rendition}_init.mp4                init segment (EXT-X-MAP)
 * /{rendition}_{msn}.m4s               segment
 * /{rendition}_{msn}_{part}.m4s        part
 * any of them [?|&amp;]token=...           signed viewer URL, when enabled
 * </pre>
 *
 * @param kind what is asked for, or {@link Kind#INVALID} / {@link Kind#UNKNOWN}
 * @param rendition the rendition name, or null
 * @param msn the segment's sequence number, or {@code _HLS_msn}; -1 when absent
 * @param part the part index, or {@code _HLS_part}; -1 when absent
 * @param skip {@code _HLS_skip=YES} or {@code v2}
 * @param acceptsGzip whether Accept-Encoding allows gzip
 * @param token the {@code token} query parameter, or null
 */
public record OriginRequest(Kind kind, String rendition, long msn, int part, boolean skip, boolean acceptsGzip,
        String token) {

    /** The kinds of resource. */
    public enum Kind {
        /** index.m3u8. */
        MULTIVARIANT,
        /** A media playlist. */
        PLAYLIST,
        /** An init segment. */
        INIT,
        /** A segment. */
        SEGMENT,
        /** A part. */
        PART,
        /** A name we do not serve: 404. */
        UNKNOWN,
        /** A malformed directive (bad number, _HLS_part without _HLS_msn): 400. */
        INVALID
    }

    private static final int MAX_DIGITS = 18;

    /** Name of the multivariant playlist. */
    public static final String MULTIVARIANT_NAME = "index.m3u8";

    /** Parses a request target ({@code /path?query}) and its Accept-Encoding header (may be null). */
    public static OriginRequest parse(String target, String acceptEncoding) {
        boolean gzip = acceptEncoding != null && acceptEncoding.toLowerCase(java.util.Locale.ROOT).contains("gzip");
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? "" : target.substring(q + 1);
        String msnText = null;
        String partText = null;
        boolean skip = false;
        String token = null;
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            switch (k) {
                case "_HLS_msn" -> msnText = v;
                case "_HLS_part" -> partText = v;
                case "_HLS_skip" -> skip = v.equals("YES") || v.equals("v2");
                case "token" -> token = v;
                default -> { }
            }
        }
        if (!path.startsWith("/") || path.indexOf('/', 1) >= 0) {
            return new OriginRequest(Kind.UNKNOWN, null, -1, -1, false, gzip, token);
        }
        String name = path.substring(1);
        if (name.equals(MULTIVARIANT_NAME)) {
            return new OriginRequest(Kind.MULTIVARIANT, null, -1, -1, false, gzip, token);
        }
        if (name.endsWith(".m3u8")) {
            String rendition = name.substring(0, name.length() - 5);
            // §6.2.5.2: "_HLS_part directive but no _HLS_msn directive ... MUST return Bad Request".
            if (partText != null && msnText == null) {
                return new OriginRequest(Kind.INVALID, rendition, -1, -1, skip, gzip, token);
            }
            long msn = msnText == null ? -1 : number(msnText);
            long part = partText == null ? -1 : number(partText);
            if ((msnText != null && msn < 0) || (partText != null && (part < 0 || part > Integer.MAX_VALUE))) {
                return new OriginRequest(Kind.INVALID, rendition, -1, -1, skip, gzip, token);
            }
            return new OriginRequest(Kind.PLAYLIST, rendition, msn, (int) part, skip, gzip, token);
        }
        if (name.endsWith("_init.mp4")) {
            return new OriginRequest(Kind.INIT, name.substring(0, name.length() - 9), -1, -1, false, gzip, token);
        }
        if (name.endsWith(".m4s")) {
            String[] f = name.substring(0, name.length() - 4).split("_", -1);
            if (f.length == 2 || f.length == 3) {
                long msn = number(f[1]);
                long part = f.length == 3 ? number(f[2]) : -1;
                if (msn >= 0 && (f.length == 2 || (part >= 0 && part <= Integer.MAX_VALUE))) {
                    return new OriginRequest(f.length == 2 ? Kind.SEGMENT : Kind.PART, f[0], msn, (int) part, false,
                            gzip, token);
                }
            }
        }
        return new OriginRequest(Kind.UNKNOWN, null, -1, -1, false, gzip, token);
    }

    /** A decimal-integer (RFC 8216bis §4.2), or -1. */
    private static long number(String s) {
        if (s.isEmpty() || s.length() > MAX_DIGITS) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
