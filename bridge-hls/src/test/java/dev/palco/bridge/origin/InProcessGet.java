package dev.palco.bridge.origin;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads an origin's resources without HTTP, for tests whose streams are complete or whose
 * requests are answered at once (a request that would park gets no answer here).
 */
public final class InProcessGet {

    private InProcessGet() {
    }

    /** The body of {@code target} if it is answered at once with 200, else null. */
    public static byte[] bodyOrNull(LiveOrigin origin, String target) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int[] status = {0};
        origin.handle(OriginRequest.parse(target, null), new OriginExchange() {
            @Override
            public void respond(OriginResponse r) {
                status[0] = r.status();
                body.writeBytes(r.body());
            }

            @Override
            public void beginChunked(OriginResponse head) {
                status[0] = head.status();
            }

            @Override
            public void chunk(byte[] buf, int off, int len) {
                body.write(buf, off, len);
            }

            @Override
            public void end() {
            }

            @Override
            public boolean isOpen() {
                return true;
            }
        });
        return status[0] == 200 ? body.toByteArray() : null;
    }

    /** The body of {@code target}; fails the test unless it is answered at once with 200. */
    public static byte[] body(LiveOrigin origin, String target) {
        byte[] b = bodyOrNull(origin, target);
        if (b == null) {
            throw new AssertionError(target + " was not answered with 200 at once");
        }
        return b;
    }

    /** {@link #body} as UTF-8 text. */
    public static String text(LiveOrigin origin, String target) {
        return new String(body(origin, target), StandardCharsets.UTF_8);
    }
}
