package io.planetexporter.dist;

import java.util.List;

/**
 * The per-peer byte counter of the darkstat or ebpf task as a scrape shows it, for an exporter
 * started with {@code -primary-ip 198.18.0.1} and no inventory.
 *
 * <pre>{@code
 * PeerTrafficLines darkstat = new PeerTrafficLines("planet_traffic_bytes_total");
 * assertThat(darkstat.in(scrape)).contains(darkstat.line("ingress", "198.18.0.2", "1001516.0"));
 * }</pre>
 */
record PeerTrafficLines(String counter) {

  /** The scrape's samples of the counter. */
  List<String> in(String scrape) {
    return scrape.lines().filter(l -> l.startsWith(counter)).toList();
  }

  /** The sample of the bytes exchanged with {@code remoteIp}, neither end in the inventory. */
  String line(String direction, String remoteIp, String bytes) {
    return counter
        + "{direction=\""
        + direction
        + "\",local_domain=\"198.18.0.1\",local_hostgroup=\"198.18.0.1\",remote_domain=\"\","
        + "remote_hostgroup=\"\",remote_ip=\""
        + remoteIp
        + "\"} "
        + bytes;
  }
}
