package dev.palco.bridge.compose;

import java.nio.file.Path;

/**
 * Keeps java.awt's files out of the user's home: the first text rendering makes the JDK's font
 * configuration write a cache to {@code ${user.home}/.java/fonts}. Tests that draw text point
 * {@code user.home} under {@code target/} before java.awt starts.
 */
public final class TestHome {

    private TestHome() {
    }

    /** Sets {@code user.home} to {@code target/test-home} (once per JVM; harmless after). */
    public static synchronized void isolate() {
        Path home = Path.of("target", "test-home").toAbsolutePath();
        if (!home.toString().equals(System.getProperty("user.home"))) {
            home.toFile().mkdirs();
            System.setProperty("user.home", home.toString());
        }
    }
}
