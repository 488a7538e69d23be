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
  void aggregatesTheRawSeriesAsTheRulesDoJoiningOwnersOnlyToEndsWithoutHostgroup() {
    String raw = Kind.UPSTREAM.raw("3600s", NodeFilter.ALL);

    // Both ends in the inventory (the whole fleet when it knows every host): no join.
    assertThat(raw)
        .startsWith(
            "count by (local_hostgroup, local_node, remote_hostgroup, remote_node, port, protocol,"
                + " process_name) (label_replace(label_replace(last_over_time(planet_upstream"
                + "{remote_hostgroup!=\"localhost\",local_hostgroup!=\"\",remote_hostgroup!=\"\"}"
                + "[3600s]), \"local_node\", \"$1\", \"local_hostgroup\", \"(.*)\"),"
                + " \"remote_node\", \"$1\", \"remote_hostgroup\", \"(.*)\")) or count by (");
    // The three other parts join the ends without hostgroup: the remote end of the last part
    // twice, as the local join keeps it also where the local end has no owner.
    assertThat(raw.split("group_left \\(remote_owner\\)", -1)).hasSize(4);
    assertThat(raw.split("group_left \\(local_owner\\)", -1)).hasSize(3);
    assertThat(raw)
        .contains(
            "(last_over_time(planet_upstream{remote_hostgroup!=\"localhost\",local_hostgroup!=\"\","
                + "remote_hostgroup=\"\"}[3600s]) * on (remote_address) group_left (remote_owner) ")
        .contains(
            " or ignoring (remote_owner) last_over_time(planet_upstream{remote_hostgroup!=\"localhost\","
                + "local_hostgroup!=\"\",remote_hostgroup=\"\"}[3600s]))")
        .endsWith(
            " \"local_node\", \"$1\", \"local_address\", \"(.*)\"),"
                + " \"local_node\", \"$1\", \"local_owner\", \"(.+)\"),"
                + " \"remote_node\", \"$1\", \"remote_address\", \"(.*)\"),"
                + " \"remote_node\", \"$1\", \"remote_owner\", \"(.+)\"))");
    // darkstat's ends are not named by owners.
    assertThat(Kind.TRAFFIC_BYTES.raw("60s", NodeFilter.ALL)).doesNotContain("planet_address_info");
  }

  @Test
  void aNamespaceSelectsItsWorkloadsAndAFilterTakesEndsThatAnOwnerMayName() {
    NodeFilter filter = NodeFilter.anyOf(Set.of("shop/*"));

    assertThat(Kind.UPSTREAM.recorded("60s", filter))
        .isEqualTo(
            "last_over_time(hostgroup:planet_upstream:count{local_node=~\"shop/.+\"}[60s])"
                + " or last_over_time(hostgroup:planet_upstream:count{remote_node=~\"shop/.+\"}[60s])");
    assertThat(Kind.UPSTREAM.raw("60s", filter))
        .contains(
            "planet_upstream{remote_hostgroup!=\"localhost\",local_hostgroup=\"\","
                + "remote_hostgroup!=\"\",local_hostgroup=\"\"}[60s]")
        .contains(
            "planet_upstream{remote_hostgroup!=\"localhost\",local_hostgroup!=\"\","
                + "remote_hostgroup=\"\",remote_hostgroup=\"\"}[60s]");
    assertThat(NodeFilter.matches(Set.of("shop/*"), "shop/web")).isTrue();
    assertThat(NodeFilter.matches(Set.of("shop/*"), "shop/")).isFalse();
    assertThat(NodeFilter.matches(Set.of("shop/*"), "shopping/web")).isFalse();
    assertThat(NodeFilter.matches(Set.of("web"), "web")).isTrue();
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
        .contains("planet_hostname{hostname=~\"db\"}[60s]")
        .contains("planet_hostname{local_hostgroup=~\"db\"}[60s]");
  }
}
