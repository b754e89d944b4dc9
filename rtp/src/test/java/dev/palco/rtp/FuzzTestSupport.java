package dev.palco.rtp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Set-up shared by the Jazzer fuzz tests. Jazzer attaches its agent by writing a jar with
 * {@code File.createTempFile}; the build points {@code java.io.tmpdir} under {@code target/}, and a
 * fresh build has not created that directory yet, so the attach fails unless it exists first.
 */
public final class FuzzTestSupport {
    private FuzzTestSupport() {
    }

    /** Creates {@code java.io.tmpdir} if it is missing. Call it from a {@code @BeforeAll} method. */
    public static void ensureTempDirectory() {
        try {
            Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
