package io.planetexporter.task.inventory;

import static io.planetexporter.task.inventory.InventoryFormat.ARRAYJSON;
import static io.planetexporter.task.inventory.InventoryFormat.NDJSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.net.InetAddresses;
import io.planetexporter.api.Inventory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InventoryParserTest {

  private static final String[] PROBES = {
    "10.0.0.1", "10.1.2.3", "2001:db8:1::5", "192.0.2.7", "10.0.0.2", "10.0.0.9"
  };

  @Nested
  class BothFormats {

    @ParameterizedTest
    @CsvSource({"valid.json, ARRAYJSON", "valid.ndjson, NDJSON"})
    void readsAddressesPrefixesAndMissingFields(String fixture, InventoryFormat format)
        throws InventoryException {
      ParsedInventory parsed = parse(fixture, format);

      assertThat(describe(parsed.inventory(), PROBES))
          .isEqualTo(
              """
              10.0.0.1 -> db1.example db
              10.1.2.3 ->  k8s
              2001:db8:1::5 -> v6.example edge
              192.0.2.7 -> web1.example\s
              10.0.0.2 -> unknown
              10.0.0.9 -> unknown
              """);
      assertThat(parsed.entries()).isEqualTo(4);
      assertThat(parsed.malformed()).isZero();
      assertThat(parsed.unnamed()).isZero();
    }

    @ParameterizedTest
    @CsvSource({"extra-fields.json, ARRAYJSON", "extra-fields.ndjson, NDJSON"})
    void ignoresUnknownFieldsOfAnyShape(String fixture, InventoryFormat format)
        throws InventoryException {
      ParsedInventory parsed = parse(fixture, format);

      assertThat(describe(parsed.inventory(), "10.0.0.1", "10.0.0.2"))
          .isEqualTo(
              """
              10.0.0.1 -> db1.example db
              10.0.0.2 -> db2.example db
              """);
      assertThat(parsed.malformed()).isZero();
    }

    @ParameterizedTest
    @CsvSource({"wrong-types.json, ARRAYJSON", "wrong-types.ndjson, NDJSON"})
    void skipsAndCountsEntriesOfTheWrongShape(String fixture, InventoryFormat format)
        throws InventoryException {
      ParsedInventory parsed = parse(fixture, format);

      assertThat(
              describe(
                  parsed.inventory(),
                  "10.0.0.1",
                  "10.0.0.2",
                  "10.0.0.3",
                  "10.0.0.4",
                  "10.0.0.5",
                  "10.0.0.6",
                  "10.0.0.7",
                  "10.0.0.9"))
          .isEqualTo(
              """
              10.0.0.1 -> unknown
              10.0.0.2 -> unknown
              10.0.0.3 -> unknown
              10.0.0.4 ->  nulldomain
              10.0.0.5 -> unknown
              10.0.0.6 -> unknown
              10.0.0.7 -> good.example good
              10.0.0.9 -> unknown
              """);
      assertThat(parsed.entries()).isEqualTo(2);
      assertThat(parsed.malformed()).isEqualTo(8);
      assertThat(parsed.unnamed()).isEqualTo(2);
    }

    @ParameterizedTest
    @CsvSource({"not-json.txt, ARRAYJSON", "not-json.txt, NDJSON"})
    void failsOnADocumentThatIsNotJson(String fixture, InventoryFormat format) {
      assertThatThrownBy(() -> parse(fixture, format)).isInstanceOf(InventoryException.class);
    }
  }

  @Nested
  class ArrayJson {

    @Test
    void namesTheFirstMalformedElement() throws InventoryException {
      assertThat(parse("wrong-types.json", ARRAYJSON).firstProblem())
          .isEqualTo("element 1 (line 2): ip_address is a number, not a string");
    }

    @Test
    void acceptsAnEmptyArray() throws InventoryException {
      assertThat(parse("empty-array.json", ARRAYJSON).inventory().size()).isZero();
    }

    @Test
    void failsOnAnEmptyDocument() {
      assertThatThrownBy(() -> parse("empty.txt", ARRAYJSON))
          .hasMessage("not a JSON array (empty document)");
    }

    @Test
    void failsOnNdjson() {
      assertThatThrownBy(() -> parse("valid.ndjson", ARRAYJSON))
          .hasMessage("not a JSON array (starts with an object); is the format ndjson?");
    }

    @Test
    void failsOnHtml() {
      assertThatThrownBy(() -> parse("not-json.txt", ARRAYJSON))
          .hasMessageStartingWith("not valid JSON: Unexpected character ('<'");
    }

    @Test
    void failsOnATruncatedArray() {
      assertThatThrownBy(() -> parseText("[{\"ip_address\": \"10.0.0.1\", \"domain\": \"a\"},"))
          .isInstanceOf(InventoryException.class);
    }

    @Test
    void failsOnASyntaxErrorInsideTheArray() {
      assertThatThrownBy(
              () -> parseText("[{\"ip_address\": \"10.0.0.1\", \"domain\": \"a\"}, {oops}]"))
          .hasMessageStartingWith("not valid JSON:")
          .hasMessageContaining("line 1 column");
    }

    @Test
    void failsOnDataAfterTheArray() {
      assertThatThrownBy(() -> parseText("[] []"))
          .hasMessage("data after the JSON array at line 1");
    }

    /**
     * Four first bytes Jackson takes for UTF-32 in an odd byte order: not a JSON processing error
     * but a {@code CharConversionException}, which a property test found ended the parse with an
     * IllegalStateException.
     */
    @ParameterizedTest
    @CsvSource({"0, 0, 91, 0, 2143", "0, 91, 0, 0, 3412"})
    void failsOnBytesOfNoEncodingJsonAllows(int b0, int b1, int b2, int b3, String order) {
      byte[] document = {(byte) b0, (byte) b1, (byte) b2, (byte) b3, '{', '}', ']'};

      assertThatThrownBy(() -> InventoryParser.parse(document, ARRAYJSON))
          .isInstanceOf(InventoryException.class)
          .hasMessageStartingWith("not valid JSON: its bytes are not text in any encoding")
          .hasMessageContaining(order);
      assertThatThrownBy(
              () ->
                  InventoryParser.parse(
                      new ByteArrayInputStream(document), ARRAYJSON, 10, bytes -> {}))
          .isInstanceOf(InventoryException.class);
    }

    @Test
    void failsWhenNoElementIsAnObject() {
      assertThatThrownBy(() -> parseText("[1, \"two\", [3]]"))
          .hasMessage("none of the 3 array elements is an object");
    }

    private ParsedInventory parseText(String text) throws InventoryException {
      return InventoryParser.parse(
          text.getBytes(java.nio.charset.StandardCharsets.UTF_8), ARRAYJSON);
    }
  }

  @Nested
  class Ndjson {

    @Test
    void skipsAndCountsBadLines() throws InventoryException {
      ParsedInventory parsed = parse("bad-lines.ndjson", NDJSON);

      assertThat(describe(parsed.inventory(), "10.0.0.1", "10.0.0.4", "10.0.0.8"))
          .isEqualTo(
              """
              10.0.0.1 -> db1.example db
              10.0.0.4 -> unknown
              10.0.0.8 -> good.example good
              """);
      assertThat(parsed.entries()).isEqualTo(2);
      assertThat(parsed.malformed()).isEqualTo(5);
      assertThat(parsed.unnamed()).isEqualTo(1);
      assertThat(parsed.firstProblem()).startsWith("line 2: not valid JSON: ");
    }

    @Test
    void skipsALineOfBytesOfNoEncodingJsonAllowsAndKeepsTheOthers() throws InventoryException {
      ParsedInventory parsed =
          parseText(
              "{\"ip_address\": \"10.0.0.1\", \"hostgroup\": \"a\"}\n"
                  + "\u0000\u0000{\u0000\n" // the bytes 0 0 '{' 0: UTF-32 of byte order 2143
                  + "{\"ip_address\": \"10.0.0.2\", \"hostgroup\": \"b\"}\n");

      assertThat(parsed.entries()).isEqualTo(2);
      assertThat(parsed.malformed()).isEqualTo(1);
      assertThat(parsed.firstProblem())
          .startsWith("line 2: not valid JSON: its bytes are not text in any encoding");
    }

    @Test
    void readsCrlfLines() throws InventoryException {
      ParsedInventory parsed =
          parseText(
              "{\"ip_address\": \"10.0.0.1\", \"hostgroup\": \"a\"}\r\n"
                  + "\r\n"
                  + "{\"ip_address\": \"10.0.0.2\", \"hostgroup\": \"b\"}\r\n");

      assertThat(describe(parsed.inventory(), "10.0.0.1", "10.0.0.2"))
          .isEqualTo(
              """
              10.0.0.1 ->  a
              10.0.0.2 ->  b
              """);
      assertThat(parsed.malformed()).isZero();
    }

    @Test
    void skipsAnObjectSpreadOverLines() throws InventoryException {
      ParsedInventory parsed =
          parseText(
              "{\"ip_address\": \"10.0.0.1\",\n \"hostgroup\": \"a\"}\n"
                  + "{\"ip_address\": \"10.0.0.2\", \"hostgroup\": \"b\"}\n");

      assertThat(describe(parsed.inventory(), "10.0.0.1", "10.0.0.2"))
          .isEqualTo(
              """
              10.0.0.1 -> unknown
              10.0.0.2 ->  b
              """);
      assertThat(parsed.malformed()).isEqualTo(2);
      assertThat(parsed.firstProblem()).startsWith("line 1: not valid JSON: ");
    }

    @Test
    void skipsTwoObjectsOnOneLine() throws InventoryException {
      ParsedInventory parsed =
          parseText(
              "{\"ip_address\": \"10.0.0.1\", \"hostgroup\": \"a\"}"
                  + " {\"ip_address\": \"10.0.0.3\", \"hostgroup\": \"c\"}\n"
                  + "{\"ip_address\": \"10.0.0.2\", \"hostgroup\": \"b\"}\n");

      assertThat(describe(parsed.inventory(), "10.0.0.1", "10.0.0.2", "10.0.0.3"))
          .isEqualTo(
              """
              10.0.0.1 -> unknown
              10.0.0.2 ->  b
              10.0.0.3 -> unknown
              """);
      assertThat(parsed.firstProblem()).isEqualTo("line 1: data after the object");
    }

    private ParsedInventory parseText(String text) throws InventoryException {
      return InventoryParser.parse(text.getBytes(StandardCharsets.UTF_8), NDJSON);
    }

    @Test
    void numbersLinesAcrossBatchesAndSkipsOnlyTheBadOne() throws Exception {
      StringBuilder text = new StringBuilder();
      int lines = 3 * NdjsonBatches.BATCH_BYTES / 50;
      for (int line = 1; line <= lines; line++) {
        text.append(
            line == lines - 10
                ? "{\"ip_address\": \"10.9.9.9\", oops}\n"
                : String.format(
                    "{\"ip_address\": \"10.0.%d.%d\", \"hostgroup\": \"g%d\"}%n",
                    line / 256, line % 256, line));
      }

      ParsedInventory parsed =
          InventoryParser.parse(
              new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)),
              NDJSON,
              Integer.MAX_VALUE,
              bytes -> {});

      assertThat(parsed.entries()).isEqualTo(lines - 1);
      assertThat(parsed.malformed()).isEqualTo(1);
      assertThat(parsed.firstProblem()).startsWith("line " + (lines - 10) + ": not valid JSON");
      assertThat(describe(parsed.inventory(), "10.0.1.44", "10.0.15.1"))
          .isEqualTo(
              """
              10.0.1.44 ->  g300
              10.0.15.1 ->  g3841
              """);
    }

    @Test
    void skipsALineOverTheLimitAndKeepsTheOthers() throws Exception {
      String text =
          "{\"ip_address\": \"10.0.0.1\", \"hostgroup\": \""
              + "a".repeat(InventoryParser.MAX_LINE_BYTES)
              + "\"}\n{\"ip_address\": \"10.0.0.2\", \"hostgroup\": \"b\"}\n";

      ParsedInventory parsed =
          InventoryParser.parse(
              new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
              NDJSON,
              Integer.MAX_VALUE,
              bytes -> {});

      assertThat(describe(parsed.inventory(), "10.0.0.1", "10.0.0.2"))
          .isEqualTo(
              """
              10.0.0.1 -> unknown
              10.0.0.2 ->  b
              """);
      assertThat(parsed.firstProblem()).isEqualTo("line 1: longer than 1048576 bytes");
    }

    @Test
    void acceptsAnEmptyDocument() throws InventoryException {
      assertThat(parse("empty.txt", NDJSON).inventory().size()).isZero();
      assertThat(parse("blank-lines.ndjson", NDJSON).inventory().size()).isZero();
    }

    @Test
    void failsOnArrayJson() {
      assertThatThrownBy(() -> parse("valid.json", NDJSON))
          .hasMessage("starts with a JSON array; is the format arrayjson?");
    }

    @Test
    void failsOnHtml() {
      assertThatThrownBy(() -> parse("not-json.txt", NDJSON))
          .hasMessage("none of the 2 lines is a JSON object");
    }
  }

  static ParsedInventory parse(String fixture, InventoryFormat format) throws InventoryException {
    try (InputStream in =
        InventoryParserTest.class.getResourceAsStream("InventoryParserTest/" + fixture)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + fixture);
      }
      return InventoryParser.parse(in.readAllBytes(), format);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Nested
  class MaxEntries {

    private ParsedInventory parse(String text, InventoryFormat format, int max) throws Exception {
      return InventoryParser.parse(
          new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
          format,
          max,
          bytes -> {});
    }

    @Test
    void acceptsADocumentOfExactlyTheLimitNotCountingSkippedEntries() throws Exception {
      String ndjson =
          """
          {"ip_address": "10.0.0.1", "domain": "a"}
          {"ip_address": "10.0.0.2"}
          {"ip_address": "bogus", "domain": "b"}
          {"ip_address": "10.0.0.3", "hostgroup": "c"}
          """;

      assertThat(parse(ndjson, NDJSON, 2).inventory().size()).isEqualTo(2);
    }

    @Test
    void refusesTheEntryPastTheLimitInEitherFormat() {
      assertThatThrownBy(
              () ->
                  parse(
                      "{\"ip_address\": \"10.0.0.1\", \"domain\": \"a\"}\n"
                          + "{\"ip_address\": \"10.0.0.2\", \"domain\": \"b\"}\n",
                      NDJSON,
                      1))
          .isInstanceOf(TooManyEntriesException.class)
          .hasMessage("more than 1 entries (-task-inventory-max-entries), refused at line 2");
      assertThatThrownBy(
              () ->
                  parse(
                      "[{\"ip_address\": \"10.0.0.1\", \"domain\": \"a\"},"
                          + " {\"ip_address\": \"10.0.0.2\", \"domain\": \"b\"}]",
                      ARRAYJSON,
                      1))
          .isInstanceOf(TooManyEntriesException.class)
          .hasMessage(
              "more than 1 entries (-task-inventory-max-entries), refused at element 2 (line 1)");
    }
  }

  @Nested
  class Memory {

    @Test
    void chargesEachKeptEntryBeforeAddingItWithItsNamesCharacters() throws Exception {
      List<Long> charges = new ArrayList<>();
      ParsedInventory parsed =
          InventoryParser.parse(
              new ByteArrayInputStream(
                  """
                  [{"ip_address": "10.0.0.1", "domain": "ab", "hostgroup": "c"},
                   {"ip_address": "10.0.0.2"},
                   {"ip_address": "10.0.0.3", "domain": "é€"}]"""
                      .getBytes(StandardCharsets.UTF_8)),
              ARRAYJSON,
              Integer.MAX_VALUE,
              charges::add);

      // The unnamed entry is not kept; a name beyond Latin-1 costs two bytes a character.
      long entry = InventoryParser.ENTRY_BYTES;
      assertThat(charges).containsExactly(entry + 3, entry + 4);
      assertThat(parsed.memoryBytes()).isEqualTo(2 * entry + 7);
    }

    @Test
    void stopsAtTheChargeThatThrows() {
      String ndjson = "{\"ip_address\": \"10.0.0.1\", \"domain\": \"a\"}\n".repeat(3);
      int[] calls = new int[1];
      assertThatThrownBy(
              () ->
                  InventoryParser.parse(
                      new ByteArrayInputStream(ndjson.getBytes(StandardCharsets.UTF_8)),
                      NDJSON,
                      Integer.MAX_VALUE,
                      bytes -> {
                        if (++calls[0] == 2) {
                          throw new IllegalStateException("budget");
                        }
                      }))
          .hasMessage("budget");
      assertThat(calls[0]).isEqualTo(2);
    }

    @Test
    void failsAnArrayjsonDocumentWithAStringOverTheLineLimit() {
      String document =
          "[{\"ip_address\": \"10.0.0.1\", \"domain\": \""
              + "a".repeat(InventoryParser.MAX_LINE_BYTES + 1)
              + "\"}]";
      assertThatThrownBy(
              () -> InventoryParser.parse(document.getBytes(StandardCharsets.UTF_8), ARRAYJSON))
          .isInstanceOf(InventoryException.class)
          .hasMessageStartingWith(
              "not valid JSON: String value length (1048577) exceeds the maximum allowed"
                  + " (1048576");
    }
  }

  /** One line per address: what the inventory says of it. */
  static String describe(Inventory inventory, String... addresses) {
    return Arrays.stream(addresses)
        .map(
            address ->
                address
                    + " -> "
                    + inventory
                        .lookup(InetAddresses.forString(address))
                        .map(host -> host.domain() + " " + host.hostgroup())
                        .orElse("unknown")
                    + "\n")
        .collect(Collectors.joining());
  }
}
