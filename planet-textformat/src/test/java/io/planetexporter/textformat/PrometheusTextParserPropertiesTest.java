package io.planetexporter.textformat;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.planetexporter.testfixtures.Mutations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/**
 * Any input gives samples or a {@link TextFormatException}, never another exception or a hang, and
 * the same outcome however the stream cuts it into reads. Tries: {@code jqwik.tries.default} in
 * src/test/resources/junit-platform.properties; docs/architecture.md#tests gives the longer run for
 * a release.
 */
class PrometheusTextParserPropertiesTest {

  private static final byte[] PAGE =
      """
      # HELP host_bytes_total Total number of bytes seen by host, \\\\ and \\n escaped.
      # TYPE host_bytes_total counter
      host_bytes_total{interface="eth0",ip="198.18.0.2",mac="02:00:00:00:00:01",dir="in"} 1152
      host_bytes_total{interface="eth0",ip="fd00::2",dir="out",} 1.001516e+06 1712345678901
      # a comment
      ebpf_exporter_ipv4_send_bytes{daddr="198.18.0.3",note="quote \\" slash \\\\ nl \\n é"} +Inf
      up NaN

      go_gc_duration_seconds{quantile="0.5"}\t-0.25\t-5
      """
          .getBytes(UTF_8);

  private static final Duration HANG = Duration.ofSeconds(10);

  @Property
  void randomBytesGiveSamplesOrATextFormatException(@ForAll @Size(max = 600) byte[] page) {
    outcome(page);
  }

  @Property
  void damagedPagesGiveTheSameSamplesOrErrorHoweverTheyAreRead(@ForAll long seed) {
    Random random = new Random(seed);
    byte[] page = Mutations.of(PAGE, random, 8);

    assertThat(streamed(page, random)).isEqualTo(outcome(page));
  }

  @Property(tries = 20)
  void anOverlongLineAnywhereFailsNamingItsLine(@ForAll long seed) {
    Random random = new Random(seed);
    byte[] page = Mutations.of(PAGE, random, 3);
    int at = random.nextInt(page.length + 1);
    byte[] longLine = new byte[PrometheusTextParser.MAX_LINE_BYTES + 1 + random.nextInt(100)];
    Arrays.fill(longLine, (byte) 'x');
    byte[] withLongLine = new byte[page.length + longLine.length + 2];
    System.arraycopy(page, 0, withLongLine, 0, at);
    withLongLine[at] = '\n';
    System.arraycopy(longLine, 0, withLongLine, at + 1, longLine.length);
    withLongLine[at + 1 + longLine.length] = '\n';
    System.arraycopy(page, at, withLongLine, at + 2 + longLine.length, page.length - at);

    // Either a line before it is bad, or the long line is the first error.
    String outcome = streamed(withLongLine, random);
    long line = 2;
    for (int i = 0; i < at; i++) {
      line += page[i] == '\n' ? 1 : 0;
    }
    if (!outcome.startsWith("error: line ") || errorLine(outcome) >= line) {
      assertThat(outcome)
          .isEqualTo("error: line " + line + ": longer than 1048576 bytes, the limit of a line");
    }
  }

  private static long errorLine(String outcome) {
    return Long.parseLong(outcome.substring("error: line ".length(), outcome.indexOf(':', 12)));
  }

  /** What parsing the page in memory gives: its events, or its error's message. */
  private static String outcome(byte[] page) {
    return assertTimeoutPreemptively(
        HANG,
        () -> {
          List<String> events = new ArrayList<>();
          try {
            PrometheusTextParser.parse(page, recorder(events));
            return String.join("\n", events);
          } catch (TextFormatException e) {
            return "error: " + e.getMessage();
          }
        });
  }

  /** What parsing the page from a stream of random-sized reads gives. */
  private static String streamed(byte[] page, Random random) {
    return assertTimeoutPreemptively(
        HANG,
        () -> {
          List<String> events = new ArrayList<>();
          try {
            PrometheusTextParser.parse(
                new ChoppedStream(page, len -> 1 + random.nextInt(len)), recorder(events));
            return String.join("\n", events);
          } catch (TextFormatException e) {
            return "error: " + e.getMessage();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  private static PrometheusTextParser.Visitor recorder(List<String> events) {
    return new PrometheusTextParser.Visitor() {
      @Override
      public void sample(Sample sample, long line) {
        events.add(line + ": " + sample);
      }

      @Override
      public void type(String metricName, MetricType type, long line) {
        events.add(line + ": TYPE " + metricName + " " + type);
      }

      @Override
      public void help(String metricName, String text, long line) {
        events.add(line + ": HELP " + metricName + " " + text);
      }
    };
  }
}
