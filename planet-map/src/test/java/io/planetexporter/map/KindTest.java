package io.planetexporter.map;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class KindTest {

  @Test
  void readsTheRecordedSeriesOverTheRange() {
    assertThat(Kind.UPSTREAM.recorded("3600s", NodeFilter.ALL))
        .isEqualTo("last_over_time(hostgroup:planet_upstream:count{}[3600s])");
    assertThat(Kind.TRAFFIC_BYTES.recorded("3600s", NodeFilter.ALL))
        .isEqualTo("avg_over_time(hostgroup:planet_traffic_bytes:rate5m{}[3600s])");
  }

  @Test
  void aggregatesTheRawSeriesAsTheRulesDo() {
    assertThat(Kind.UPSTREAM.raw("3600s", NodeFilter.ALL))
        .isEqualTo(
            "count by (local_hostgroup, local_node, remote_hostgroup, remote_node, port, protocol,"
                + " process_name) (label_replace(label_replace(label_replace(label_replace("
                + "last_over_time(planet_upstream{remote_hostgroup!=\"localhost\"}[3600s]),"
                + " \"local_node\", \"$1\", \"local_address\", \"(.*)\"),"
                + " \"local_node\", \"$1\", \"local_hostgroup\", \"(.+)\"),"
                + " \"remote_node\", \"$1\", \"remote_address\", \"(.*)\"),"
                + " \"remote_node\", \"$1\", \"remote_hostgroup\", \"(.+)\"))");
  }

  @Test
  void aFilterSelectsSeriesWithEitherEndAmongTheNodesWithRegexMetacharactersQuoted() {
    NodeFilter filter = NodeFilter.anyOf(Set.of("web", "198.18.0.9"));

    assertThat(Kind.DOWNSTREAM.recorded("60s", filter))
        .isEqualTo(
            "last_over_time(hostgroup:planet_downstream:count{local_node=~\"198\\\\.18\\\\.0\\\\.9|web\"}[60s])"
                + " or last_over_time(hostgroup:planet_downstream:count{remote_node=~\"198\\\\.18\\\\.0\\\\.9|web\"}[60s])");
    assertThat(Kind.HOSTS.raw("60s", NodeFilter.anyOf(Set.of("db"))))
        .contains("planet_hostname{ip=~\"db\"}[60s]")
        .contains("planet_hostname{domain=~\"db\"}[60s]")
        .contains("planet_hostname{local_hostgroup=~\"db\"}[60s]");
  }
}
