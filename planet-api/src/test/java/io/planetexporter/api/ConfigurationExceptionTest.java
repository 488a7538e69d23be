package io.planetexporter.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConfigurationExceptionTest {

  @Test
  void anErrorTiedToAnOptionKeepsTheOptionAndTheDetailApart() {
    IllegalArgumentException cause = new IllegalArgumentException("bad");
    ConfigurationException e = ConfigurationException.forOption("addr", "no host", cause);

    assertThat(e.option()).contains("addr");
    assertThat(e.detail()).isEqualTo("no host");
    assertThat(e).hasMessage("addr: no host").hasCause(cause);
  }

  @Test
  void aPlainErrorIsTiedToNoOption() {
    ConfigurationException e = new ConfigurationException("-listen-address: bad port");

    assertThat(e.option()).isEmpty();
    assertThat(e.detail()).isEqualTo("-listen-address: bad port");
  }
}
