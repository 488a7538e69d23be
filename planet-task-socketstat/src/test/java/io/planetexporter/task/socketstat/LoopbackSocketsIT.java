package io.planetexporter.task.socketstat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.planetexporter.api.Task;
import io.planetexporter.api.testing.TestTaskContext;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The task on this machine's real kernel, with the sockets of {@link LoopbackSockets}: those of the
 * test JVM are {@code java}'s, the others those of child processes named {@code pe-client}. Both
 * sources must give the same series.
 */
class LoopbackSocketsIT {

  @TempDir Path temp;

  @ParameterizedTest(name = "source {0}")
  @ValueSource(strings = {"netlink", "proc"})
  void reportsTheTestsOwnListenersAndConnectionsExactly(String source) throws Exception {
    assumeTrue(LoopbackSockets.available(), "needs /bin/bash for the named client process");
    try (LoopbackSockets sockets = LoopbackSockets.open(temp)) {
      String expected = sockets.expectedSeries("198.18.0.1", "java");
      Task task =
          TestTaskContext.of(new SocketstatTaskProvider(), Map.of("source", source))
              .host(TestTaskContext.host("test-host", "198.18.0.1"))
              .create();

      // The kernel moves the closed connections to TIME_WAIT shortly after close().
      String actual;
      Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
      do {
        task.run();
        actual = sockets.seriesOfItsPorts(SocketstatTaskTest.text(task.snapshot()));
      } while (!actual.equals(expected) && Instant.now().isBefore(deadline));

      assertThat(actual).isEqualTo(expected);
    }
  }
}
