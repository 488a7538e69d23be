package io.planetexporter.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LoggingTest {

  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  private final Logger root = Logger.getLogger("");
  private final Logger own = Logger.getLogger("io.planetexporter.collector.Example");
  private final Logger jdk = Logger.getLogger("jdk.example");
  private List<Handler> handlers;
  private Level rootLevel;

  @BeforeEach
  void remember() {
    handlers = List.of(root.getHandlers());
    rootLevel = root.getLevel();
  }

  @AfterEach
  void restore() {
    for (Handler handler : root.getHandlers()) {
      root.removeHandler(handler);
    }
    handlers.forEach(root::addHandler);
    root.setLevel(rootLevel);
    Logger.getLogger("io.planetexporter").setLevel(null);
  }

  private String configure(Level level) {
    Logging.configure(
        new LogSettings(level, false, false, true),
        new PrintStream(stderr, true, StandardCharsets.UTF_8),
        false);
    own.fine("own debug");
    own.info("own info");
    jdk.fine("jdk debug");
    jdk.info("jdk info");
    own.warning("own warning");
    return stderr.toString(StandardCharsets.UTF_8);
  }

  @Test
  void writesOneFormattedLinePerRecordAtOrAboveTheLevel() {
    assertThat(configure(Level.INFO))
        .isEqualTo(
            """
            level=info msg="own info" logger=Example
            level=info msg="jdk info" logger=example
            level=warn msg="own warning" logger=Example
            """);
  }

  @Test
  void debugsThisProgramOnlyNotTheJdk() {
    assertThat(configure(Level.FINE))
        .contains("msg=\"own debug\"")
        .doesNotContain("jdk debug")
        .contains("msg=\"jdk info\"");
  }

  @Test
  void leavesOutInfoAtWarnLevel() {
    assertThat(configure(Level.WARNING))
        .isEqualTo("level=warn msg=\"own warning\" logger=Example\n");
  }
}
