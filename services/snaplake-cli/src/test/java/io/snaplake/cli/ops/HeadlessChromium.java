package io.snaplake.cli.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * Debian's chromium and chromium-driver (installed by .ci/run where missing), driven by Selenium, found on
 * the PATH: never Selenium Manager, which would download a browser.
 */
final class HeadlessChromium {

    private HeadlessChromium() {
    }

    static ChromeDriver start() {
        Path chromium = onPath("chromium", "chromium-browser").orElseThrow(() -> new IllegalStateException(
                "chromium not found on the PATH: run .ci/run (it installs Debian's chromium and chromium-driver) or apt-get install chromium chromium-driver"));
        Path driver = onPath("chromedriver").orElseThrow(() -> new IllegalStateException(
                "chromedriver not found on the PATH: run .ci/run or apt-get install chromium-driver"));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1400,1000");
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /** The browser console's errors since the last call (uncaught exceptions, failed loads). */
    static List<String> errors(ChromeDriver browser) {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .toList();
    }

    private static Optional<Path> onPath(String... names) {
        for (String directory : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            for (String name : names) {
                Path candidate = Path.of(directory, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}
