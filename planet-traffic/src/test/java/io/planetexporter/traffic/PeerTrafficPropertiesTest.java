package io.planetexporter.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import io.planetexporter.api.Inventory;
import io.planetexporter.textformat.PrometheusTextParser;
import io.planetexporter.textformat.TextFormatException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random damage to real pages gives a {@link TextFormatException} or samples, nothing else, in the
 * parser and in {@link PeerTraffic}.
 */
class PeerTrafficPropertiesTest {

  private static final List<String> PAGES =
      List.of(
          "metrics-ipv4.txt",
          "metrics-ipv4-ipv6.txt",
          "metrics-ipv4-no-macs.txt",
          "metrics-two-interfaces.txt",
          "metrics-empty.txt");

  /** Characters that matter to the grammar, so mutations hit its edges often. */
  private static final byte[] INTERESTING =
      "\n\r\t \"\\{},=#.-+eE0123456789NaInfHELPTYPEcounter_:\u00ff\u0000"
          .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

  record Mutation(int kind, int position, byte value, int length) {}

  @Property(tries = 2000)
  void mutatedPagesThrowOnlyTextFormatException(
      @ForAll("pages") byte[] page, @ForAll("mutations") List<Mutation> mutations)
      throws IOException {
    byte[] mutated = page;
    for (Mutation m : mutations) {
      mutated = apply(mutated, m);
    }
    // Also through PeerTraffic, so damaged label values and numbers reach its checks too.
    PeerTraffic.Builder traffic = PeerTraffic.builder(PeerTrafficTest.HOST, Inventory.empty());
    try {
      PrometheusTextParser.parse(
          new ByteArrayInputStream(mutated),
          (sample, line) -> traffic.add(sample, line, "ip", PeerTraffic.Direction.INGRESS));
      assertThat(traffic.build().toCounter("t_bytes", "Test.").getDataPoints().size())
          .isLessThanOrEqualTo(30);
    } catch (TextFormatException expected) {
      assertThat(expected.line()).isPositive();
      assertThat(expected).hasMessageStartingWith("line " + expected.line() + ": ");
    }
  }

  @Provide
  Arbitrary<byte[]> pages() {
    return Arbitraries.of(PAGES)
        .map(
            name -> {
              try (InputStream in =
                  PeerTrafficPropertiesTest.class.getResourceAsStream(
                      "PeerTrafficPropertiesTest/" + name)) {
                return in.readAllBytes();
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
  }

  @Provide
  Arbitrary<List<Mutation>> mutations() {
    Arbitrary<Byte> anyByte = Arbitraries.bytes();
    Arbitrary<Byte> interesting = Arbitraries.of(toList(INTERESTING));
    return Combinators.combine(
            Arbitraries.integers().between(0, 3),
            Arbitraries.integers().between(0, Integer.MAX_VALUE),
            Arbitraries.oneOf(anyByte, interesting),
            Arbitraries.integers().between(1, 40))
        .as(Mutation::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(8);
  }

  /** Replaces, inserts or deletes bytes, or cuts the page short. */
  private static byte[] apply(byte[] page, Mutation m) {
    if (page.length == 0) {
      return new byte[] {m.value()};
    }
    int at = m.position() % page.length;
    switch (m.kind()) {
      case 0:
        byte[] replaced = page.clone();
        replaced[at] = m.value();
        return replaced;
      case 1:
        byte[] inserted = new byte[page.length + 1];
        System.arraycopy(page, 0, inserted, 0, at);
        inserted[at] = m.value();
        System.arraycopy(page, at, inserted, at + 1, page.length - at);
        return inserted;
      case 2:
        int length = Math.min(m.length(), page.length - at);
        byte[] deleted = new byte[page.length - length];
        System.arraycopy(page, 0, deleted, 0, at);
        System.arraycopy(page, at + length, deleted, at, page.length - at - length);
        return deleted;
      default:
        return java.util.Arrays.copyOf(page, at);
    }
  }

  private static List<Byte> toList(byte[] bytes) {
    Byte[] boxed = new Byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      boxed[i] = bytes[i];
    }
    return List.of(boxed);
  }
}
