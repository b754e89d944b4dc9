package dev.palco.bridge.playlist;

/** Formats playlist numbers without locale surprises (RFC 8216bis §4.2 decimal-floating-point). */
final class Decimal {

    private Decimal() {
    }

    /** Microseconds as seconds with five decimals, e.g. 200000 to "0.20000". */
    static void seconds(long us, StringBuilder out) {
        long tenUs = (us + 5) / 10;
        out.append(tenUs / 100_000).append('.');
        String frac = Long.toString(tenUs % 100_000);
        for (int i = frac.length(); i < 5; i++) {
            out.append('0');
        }
        out.append(frac);
    }
}
