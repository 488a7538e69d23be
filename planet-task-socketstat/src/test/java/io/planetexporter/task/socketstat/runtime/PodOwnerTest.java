package io.planetexporter.task.socketstat.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PodOwnerTest {

  @Test
  void aDeploymentsPodLosesItsTemplateHashAndRandomSuffix() {
    assertThat(PodOwner.of("checkout-7d9f8b6c5d-x2x4k")).isEqualTo("checkout");
    assertThat(PodOwner.of("payment-api-5b8c7d9f4-q7z2m")).isEqualTo("payment-api");
    // A hash of 6 characters, the shortest taken.
    assertThat(PodOwner.of("web-6c5d4b-bq9x2")).isEqualTo("web");
  }

  @Test
  void aCronJobsPodLosesItsScheduledMinuteAndRandomSuffix() {
    assertThat(PodOwner.of("backup-28930000-k2x9p")).isEqualTo("backup");
  }

  @Test
  void aDaemonSetsOrJobsPodLosesItsRandomSuffix() {
    assertThat(PodOwner.of("node-exporter-x2x4k")).isEqualTo("node-exporter");
    assertThat(PodOwner.of("fluentd-7wq4z")).isEqualTo("fluentd");
    assertThat(PodOwner.of("migrate-schema-2bq8r")).isEqualTo("migrate-schema");
  }

  @Test
  void aStatefulSetsPodLosesItsOrdinal() {
    assertThat(PodOwner.of("db-0")).isEqualTo("db");
    assertThat(PodOwner.of("kafka-broker-12")).isEqualTo("kafka-broker");
  }

  @Test
  void anyOtherNameStaysAsItIs() {
    assertThat(PodOwner.of("debug")).isEqualTo("debug");
    assertThat(PodOwner.of("etcd-control-plane")).isEqualTo("etcd-control-plane");
    // Vowels, 0, 1 and 3 are never generated, nor suffixes of another length.
    assertThat(PodOwner.of("web-admin")).isEqualTo("web-admin");
    assertThat(PodOwner.of("web-x2x4k0")).isEqualTo("web-x2x4k0");
    assertThat(PodOwner.of("web-x2x1k")).isEqualTo("web-x2x1k");
    assertThat(PodOwner.of("-0")).isEqualTo("-0");
    assertThat(PodOwner.of("")).isEmpty();
  }

  @Test
  void aWordBeforeTheRandomSuffixIsKeptUnlessItLooksLikeAHash() {
    // "proxy" has a vowel: no hash, only the random suffix goes.
    assertThat(PodOwner.of("kube-proxy-x2x4k")).isEqualTo("kube-proxy");
  }
}
