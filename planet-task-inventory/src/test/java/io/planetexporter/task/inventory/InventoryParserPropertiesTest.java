package io.planetexporter.task.inventory;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.planetexporter.testfixtures.Mutations;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/**
 * Any document, in either format, gives an inventory (its bad entries counted) or an {@link
 * InventoryException}, never another exception or a hang; read from memory or as a stream, the
 * outcome is the same. Tries: {@code jqwik.tries.default} in
 * src/test/resources/junit-platform.properties; docs/architecture.md#tests gives the longer run for
 * a release.
 */
class InventoryParserPropertiesTest {

  private static final String ENTRIES =
      """
      {"ip_address": "10.0.0.1", "domain": "db1.example", "hostgroup": "db"}
      {"ip_address": "10.1.0.0/16", "domain": "", "hostgroup": "k8s", "extra": [1, {"a": null}]}
      {"ip_address": "2001:db8::1", "domain": "v6.example", "hostgroup": null}
      {"ip_address": " fd00::/8 ", "domain": "caf\u00e9 \\u00e9 \\"q\\"", "hostgroup": "g"}
      {"ip_address": "bogus", "domain": 3, "hostgroup": true}
      """;

  private static final byte[] NDJSON = ENTRIES.getBytes(UTF_8);
  private static final byte[] ARRAYJSON =
      ("[\n" + String.join(",\n", ENTRIES.strip().split("\n")) + "\n]\n").getBytes(UTF_8);

  private static final Duration HANG = Duration.ofSeconds(10);

  @Property
  void randomBytesGiveAnInventoryOrAnInventoryException(@ForAll @Size(max = 600) byte[] document) {
    for (InventoryFormat format : InventoryFormat.values()) {
      outcome(document, format);
    }
  }

  @Property
  void damagedArrayjsonGivesAnInventoryOrAnInventoryException(@ForAll long seed) {
    sameFromMemoryAndStream(
        Mutations.of(ARRAYJSON, new Random(seed), 8), InventoryFormat.ARRAYJSON);
  }

  @Property
  void damagedNdjsonGivesAnInventoryOrAnInventoryException(@ForAll long seed) {
    sameFromMemoryAndStream(Mutations.of(NDJSON, new Random(seed), 8), InventoryFormat.NDJSON);
  }

  @Property
  void aDocumentInTheOtherFormatIsAnInventoryOrAnInventoryException(@ForAll long seed) {
    Random random = new Random(seed);
    sameFromMemoryAndStream(Mutations.of(NDJSON, random, 2), InventoryFormat.ARRAYJSON);
    sameFromMemoryAndStream(Mutations.of(ARRAYJSON, random, 2), InventoryFormat.NDJSON);
  }

  private static void sameFromMemoryAndStream(byte[] document, InventoryFormat format) {
    String fromMemory = outcome(document, format);
    String streamed =
        assertTimeoutPreemptively(
            HANG,
            () -> {
              try {
                return describe(
                    InventoryParser.parse(
                        new ByteArrayInputStream(document), format, Integer.MAX_VALUE, b -> {}));
              } catch (InventoryException e) {
                return "error: " + e.getMessage();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    assertThat(streamed).isEqualTo(fromMemory);
  }

  /** What the document gives: its counts and first problem, or its error's message. */
  private static String outcome(byte[] document, InventoryFormat format) {
    return assertTimeoutPreemptively(
        HANG,
        () -> {
          try {
            return describe(InventoryParser.parse(document, format));
          } catch (InventoryException e) {
            return "error: " + e.getMessage();
          }
        });
  }

  private static String describe(ParsedInventory parsed) {
    assertThat(parsed.inventory().size()).isLessThanOrEqualTo(parsed.entries());
    return parsed.inventory().size()
        + " entries, "
        + parsed.malformed()
        + " malformed ("
        + parsed.firstProblem()
        + "), "
        + parsed.unnamed()
        + " unnamed";
  }
}
