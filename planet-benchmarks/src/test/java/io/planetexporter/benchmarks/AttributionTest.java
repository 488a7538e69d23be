package io.planetexporter.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AttributionTest {
  @Test
  void countsOnlyUpstreamSeriesToThePortWithoutAProcess() {
    String metrics =
        """
        # TYPE planet_upstream gauge
        planet_upstream{local_address="10.0.0.1",port="4000",process_name=""} 1
        planet_upstream{local_address="10.0.0.1",port="4000",process_name="java"} 1
        planet_upstream{local_address="10.0.0.1",port="5000",process_name=""} 1
        planet_upstream{local_address="10.0.0.1",port="5000",process_name="java"} 1
        planet_downstream{local_address="10.0.0.1",port="4000",process_name=""} 1
        """;

    assertThat(Attribution.unattributedUpstream(metrics, 4000)).isEqualTo(1);
    assertThat(Attribution.attributedUpstream(metrics, 4000)).isEqualTo(1);
  }
}
