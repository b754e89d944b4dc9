package dev.palco.bridge.live;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * One headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) driven through
 * Selenium, with the flag set of the signaling module's browser tests and a fresh profile under
 * target/. Nothing is fetched from the network: the driver and the browser are given by path, so
 * Selenium Manager never runs.
 */
final class HeadlessChromium implements AutoCloseable {

    private final ChromeDriver driver;

    private HeadlessChromium(ChromeDriver driver) {
        this.driver = driver;
    }

    static HeadlessChromium launch(Path outDir, String label) {
        try {
            Path profile = outDir.resolve("profiles").resolve(label + "-" + ProcessHandle.current().pid());
            Files.createDirectories(profile);
            ChromeOptions options = new ChromeOptions();
            options.setBinary(binary(outDir));
            options.addArguments(
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--user-data-dir=" + profile.toAbsolutePath(),
                    "--autoplay-policy=no-user-gesture-required", "--window-size=800,600",
                    "--disable-dev-shm-usage");
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                    .usingAnyFreePort()
                    .build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
            return new HeadlessChromium(driver);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The browser runs on the same two cores as the encoder and origin it watches; in production
     * the player is on another machine. As root, Chromium raises its compositor and audio threads
     * to nice -8 and then starves the test pattern's thread (a late source is a stall in the
     * player). So it is started through a wrapper that drops CAP_SYS_NICE (setpriv) and lowers its
     * priority a little (nice 5): the measured path keeps the CPU it would have on its own machine.
     */
    private static String binary(Path outDir) throws IOException {
        if (!"root".equals(System.getProperty("user.name")) || !Files.isExecutable(Path.of("/usr/bin/setpriv"))) {
            return "/usr/bin/chromium";
        }
        Path wrapper = outDir.resolve("chromium-nice.sh").toAbsolutePath();
        Files.writeString(wrapper, "#!/bin/sh\nexec /usr/bin/nice -n 5 /usr/bin/setpriv --bounding-set -sys_nice "
                + "--inh-caps -sys_nice /usr/bin/chromium \"$@\"\n");
        if (!wrapper.toFile().setExecutable(true)) {
            throw new IOException("cannot make " + wrapper + " executable");
        }
        return wrapper.toString();
    }

    void open(String url) {
        driver.get(url);
    }

    /** Runs {@code script} in the page and returns its result. */
    Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
