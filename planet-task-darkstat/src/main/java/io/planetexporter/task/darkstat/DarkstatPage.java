package io.planetexporter.task.darkstat;

import io.planetexporter.textformat.MetricType;
import io.planetexporter.textformat.PrometheusTextParser;
import io.planetexporter.textformat.Sample;
import io.planetexporter.textformat.TextFormatException;
import io.planetexporter.traffic.PeerTraffic;
import io.planetexporter.traffic.PeerTraffic.Direction;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads darkstat's {@code /metrics} page: {@code host_bytes_total{interface,ip,mac?,dir}}.
 *
 * <p>{@code dir} is from the point of view of the host in {@code ip}: a remote host's {@code out}
 * is what it sent us (ingress), its {@code in} what we sent it (egress). Other families are
 * ignored.
 *
 * <p>Public for the benchmarks (DarkstatPageBenchmark), not supported API: only {@link #read}.
 */
public final class DarkstatPage implements PrometheusTextParser.Visitor {

  static final String FAMILY = "host_bytes_total";

  private final PeerTraffic.Builder traffic;
  private boolean familySeen;

  private DarkstatPage(PeerTraffic.Builder traffic) {
    this.traffic = traffic;
  }

  /**
   * Adds the page's byte counts to {@code traffic}.
   *
   * @throws TextFormatException when the page is not in the text format, does not mention {@code
   *     host_bytes_total} at all (so is not darkstat's), or has a sample without a usable {@code
   *     ip} or {@code dir}
   */
  public static void read(InputStream page, PeerTraffic.Builder traffic)
      throws IOException, TextFormatException {
    DarkstatPage reader = new DarkstatPage(traffic);
    PrometheusTextParser.parse(page, reader);
    if (!reader.familySeen) {
      // darkstat always writes HELP and TYPE, even with no hosts: this is some other page.
      throw new TextFormatException(1, "no " + FAMILY + " on the page; is it darkstat's /metrics?");
    }
  }

  @Override
  public void type(String metricName, MetricType type, long line) {
    familySeen |= metricName.equals(FAMILY);
  }

  @Override
  public void sample(Sample sample, long line) throws TextFormatException {
    if (!sample.name().equals(FAMILY)) {
      return;
    }
    familySeen = true;
    String dir = sample.labels().get("dir");
    Direction direction;
    if ("out".equals(dir)) {
      direction = Direction.INGRESS;
    } else if ("in".equals(dir)) {
      direction = Direction.EGRESS;
    } else {
      throw new TextFormatException(
          line, FAMILY + " has dir=\"" + dir + "\", want \"in\" or \"out\"");
    }
    traffic.add(sample, line, "ip", direction);
  }
}
