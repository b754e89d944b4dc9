package dev.palco.bridge.broadcast;

import dev.palco.bridge.origin.InProcessGet;
import dev.palco.bridge.origin.LiveOrigin;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads an origin's resources without HTTP, and runs the FFmpeg command-line tools on them. */
final class OriginFiles {

    private OriginFiles() {
    }

    /** The body of {@code target}, or null unless it is answered at once with 200. */
    static byte[] get(LiveOrigin origin, String target) {
        return InProcessGet.bodyOrNull(origin, target);
    }

    static String text(LiveOrigin origin, String target) {
        byte[] b = get(origin, target);
        return b == null ? "" : new String(b, StandardCharsets.UTF_8);
    }

    /** URIs of the complete segments listed in a media playlist. */
    static List<String> segmentUris(String playlist) {
        List<String> uris = new ArrayList<>();
        for (String line : playlist.split("\n")) {
            if (!line.startsWith("#") && line.endsWith(".m4s")) {
                uris.add(line);
            }
        }
        return uris;
    }

    /** The init segment followed by every complete segment of rendition {@code r}: one playable file. */
    static byte[] wholeTrack(LiveOrigin origin, String r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(get(origin, "/" + r + "_init.mp4"));
        for (String uri : segmentUris(text(origin, "/" + r + ".m3u8"))) {
            out.writeBytes(get(origin, "/" + uri));
        }
        return out.toByteArray();
    }

    static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    static List<String> values(String text, String regex) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** Runs a command, returns its stdout; stderr must be empty (FFmpeg at -v error says nothing when all is well). */
    static byte[] run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " timed out");
        }
        if (p.exitValue() != 0 || !err.isBlank()) {
            throw new AssertionError(String.join(" ", command) + " exit " + p.exitValue() + ": " + err);
        }
        return out;
    }
}
