package dev.palco.bridge.encode;

import dev.palco.bridge.origin.LiveOrigin;
import dev.palco.bridge.origin.OriginExchange;
import dev.palco.bridge.origin.OriginRequest;
import dev.palco.bridge.origin.OriginResponse;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Reads an origin's resources without HTTP, for streams that are complete (nothing parks). */
final class OriginReader {

    private OriginReader() {
    }

    /** The body of {@code target}; fails unless it is answered at once with 200. */
    static byte[] get(LiveOrigin origin, String target) {
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
        if (status[0] != 200) {
            throw new AssertionError(target + " answered " + status[0]);
        }
        return body.toByteArray();
    }

    /** {@link #get} as UTF-8 text. */
    static String text(LiveOrigin origin, String target) {
        return new String(get(origin, target), StandardCharsets.UTF_8);
    }
}
