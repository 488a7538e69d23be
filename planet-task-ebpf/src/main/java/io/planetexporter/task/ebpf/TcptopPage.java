package io.planetexporter.task.ebpf;

import io.planetexporter.textformat.PrometheusTextParser;
import io.planetexporter.textformat.TextFormatException;
import io.planetexporter.traffic.PeerTraffic;
import io.planetexporter.traffic.PeerTraffic.Direction;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * Reads the page of an ebpf_exporter running the tcptop program: four counter families with labels
 * {@code pid, saddr, daddr, lport, dport}. Bytes sent are egress, bytes received ingress, the peer
 * is {@code daddr}. Any subset of the families may be present; other families are ignored.
 */
final class TcptopPage {

  static final Map<String, Direction> FAMILIES =
      Map.of(
          "ebpf_exporter_ipv4_send_bytes", Direction.EGRESS,
          "ebpf_exporter_ipv4_recv_bytes", Direction.INGRESS,
          "ebpf_exporter_ipv6_send_bytes", Direction.EGRESS,
          "ebpf_exporter_ipv6_recv_bytes", Direction.INGRESS);

  private TcptopPage() {}

  /**
   * Adds the page's byte counts to {@code traffic}, summed over pids and ports.
   *
   * @throws TextFormatException when the page is not in the text format or a tcptop sample has no
   *     usable {@code daddr} or value
   */
  static void read(InputStream page, PeerTraffic.Builder traffic)
      throws IOException, TextFormatException {
    PrometheusTextParser.parse(
        page,
        (sample, line) -> {
          Direction direction = FAMILIES.get(sample.name());
          if (direction != null) {
            traffic.add(sample, line, "daddr", direction);
          }
        });
  }
}
