package io.planetexporter.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedactionTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "http://user:pass@host/path?token=abc | http://user:***@host/path?token=***",
        "https://tok@host:8443/p | https://***@host:8443/p",
        "http://host/p?a=1&b&c= | http://host/p?a=***&***&c=***",
        "http://[::1]:9/m#frag | http://[::1]:9/m",
        "http://host/plain | http://host/plain",
        "file:/etc/inventory.json | file:/etc/inventory.json",
      })
  void hidesPasswordsAndQueryValues(String uri, String shown) {
    assertThat(Redaction.uri(URI.create(uri))).isEqualTo(shown);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "http://u:p w@host/x?t=1 | http://***@host/x?***",
        "no address here | no address here",
      })
  void hidesThemInTextThatIsNoUri(String text, String shown) {
    assertThat(Redaction.text(text)).isEqualTo(shown);
  }
}
