package io.planetexporter.textformat;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class PrometheusTextParserTest {

  /** Every event of the page, one line each, to compare with a text block. */
  static String events(String page) throws TextFormatException {
    return events(page.getBytes(UTF_8));
  }

  static String events(byte[] page) throws TextFormatException {
    List<String> events = new ArrayList<>();
    PrometheusTextParser.parse(page, recorder(events));
    return String.join("\n", events) + "\n";
  }

  private static PrometheusTextParser.Visitor recorder(List<String> events) {
    return new PrometheusTextParser.Visitor() {
      @Override
      public void sample(Sample sample, long line) {
        String labels =
            sample.labels().entrySet().stream()
                .map(e -> e.getKey() + "=<" + e.getValue() + ">")
                .collect(Collectors.joining(",", "{", "}"));
        String timestamp =
            sample.timestampMillis().isPresent() ? " @" + sample.timestampMillis().getAsLong() : "";
        events.add(line + ": " + sample.name() + labels + " " + sample.value() + timestamp);
      }

      @Override
      public void type(String metricName, MetricType type, long line) {
        events.add(line + ": TYPE " + metricName + " " + type);
      }

      @Override
      public void help(String metricName, String text, long line) {
        events.add(line + ": HELP " + metricName + " <" + text + ">");
      }
    };
  }

  static byte[] fixture(String name) throws IOException {
    try (InputStream in =
        PrometheusTextParserTest.class.getResourceAsStream("PrometheusTextParserTest/" + name)) {
      return in.readAllBytes();
    }
  }

  @Nested
  class Pages {

    @Test
    void readsDarkstatPageWithHelpTypeAndSamplesInOrder() throws Exception {
      assertThat(events(fixture("metrics-ipv4.txt")).lines().limit(4))
          .containsExactly(
              "1: HELP host_bytes_total <Total number of network bytes by host and direction.>",
              "2: TYPE host_bytes_total COUNTER",
              "3: host_bytes_total{interface=<va>,ip=<198.18.0.5>,mac=<56:52:bd:de:2f:9c>,"
                  + "dir=<in>} 1584.0",
              "4: host_bytes_total{interface=<va>,ip=<198.18.0.5>,mac=<56:52:bd:de:2f:9c>,"
                  + "dir=<out>} 10280.0");
      assertThat(events(fixture("metrics-ipv4.txt")).lines()).hasSize(12);
    }

    @Test
    void readsEmptyDarkstatPageAsHelpAndTypeOnly() throws Exception {
      assertThat(events(fixture("metrics-empty.txt")))
          .isEqualTo(
              """
              1: HELP host_bytes_total <Total number of network bytes by host and direction.>
              2: TYPE host_bytes_total COUNTER
              """);
    }

    @Test
    void readsEmptyInputAsNothing() throws Exception {
      List<String> seen = new ArrayList<>();
      PrometheusTextParser.parse(new byte[0], recorder(seen));
      assertThat(seen).isEmpty();
    }

    @Test
    void readsTheSameFromAStreamDeliveringOneByteAtATime() throws Exception {
      byte[] page = fixture("metrics-ipv4-ipv6.txt");
      List<String> seen = new ArrayList<>();
      PrometheusTextParser.parse(new ChoppedStream(page, len -> 1), recorder(seen));
      assertThat(String.join("\n", seen) + "\n").isEqualTo(events(page));
      assertThat(seen).hasSize(32);
    }

    @Test
    void readsLinesLongerThanTheReadBuffer() throws Exception {
      String value = "x".repeat(50_000);
      byte[] page = ("a{l=\"" + value + "\"} 1\nb 2\n").getBytes(UTF_8);
      List<String> seen = new ArrayList<>();
      PrometheusTextParser.parse(new ByteArrayInputStream(page), recorder(seen));
      assertThat(seen).containsExactly("1: a{l=<" + value + ">} 1.0", "2: b{} 2.0");
    }

    @Test
    void readsALastLineWithoutLineFeed() throws Exception {
      assertThat(events("a 1\nb 2")).isEqualTo("1: a{} 1.0\n2: b{} 2.0\n");
    }
  }

  @Nested
  class Comments {

    @Test
    void ignoresBlankLinesAndOrdinaryComments() throws Exception {
      assertThat(
              events(
                  """

                  # just a comment
                     \t
                  #HELPER not a help line
                    # indented comment
                  # HELP
                  # EOF
                  a 1
                  """))
          .isEqualTo("8: a{} 1.0\n");
    }

    @Test
    void unescapesHelpTextAndKeepsQuotesAsTheyAre() throws Exception {
      assertThat(events("# HELP m a \\\\ back\\nslash and \"quotes\" and ünïcode\n"))
          .isEqualTo("1: HELP m <a \\ back\nslash and \"quotes\" and ünïcode>\n");
    }

    @Test
    void acceptsAnEmptyHelpText() throws Exception {
      assertThat(events("# HELP m\n")).isEqualTo("1: HELP m <>\n");
    }

    @Test
    void readsEveryTypeAndTabsBetweenTokens() throws Exception {
      assertThat(
              events(
                  "# TYPE a counter\n# TYPE b gauge\n#\tTYPE\tc\thistogram\t\n"
                      + "# TYPE d summary\n# TYPE e untyped\n"))
          .isEqualTo(
              """
              1: TYPE a COUNTER
              2: TYPE b GAUGE
              3: TYPE c HISTOGRAM
              4: TYPE d SUMMARY
              5: TYPE e UNTYPED
              """);
    }
  }

  @Nested
  class Samples {

    @Test
    void readsNamesWithColonsAndUnderscores() throws Exception {
      assertThat(events("job:http_requests:rate5m 3\n_x 1\n:y 2\n"))
          .isEqualTo("1: job:http_requests:rate5m{} 3.0\n2: _x{} 1.0\n3: :y{} 2.0\n");
    }

    @Test
    void keepsLabelsInAnyOrderAndExtraLabels() throws Exception {
      assertThat(events("m{dir=\"in\",ip=\"::1\",zone=\"x\"} 1\nm{ip=\"::1\",dir=\"in\"} 2\n"))
          .isEqualTo(
              """
              1: m{dir=<in>,ip=<::1>,zone=<x>} 1.0
              2: m{ip=<::1>,dir=<in>} 2.0
              """);
    }

    @Test
    void unescapesLabelValues() throws Exception {
      assertThat(events("m{a=\"back\\\\slash\",b=\"q\\\"uote\",c=\"new\\nline\",d=\"}{,=\"} 1\n"))
          .isEqualTo("1: m{a=<back\\slash>,b=<q\"uote>,c=<new\nline>,d=<}{,=>} 1.0\n");
    }

    @Test
    void decodesUtf8LabelValues() throws Exception {
      assertThat(events("m{city=\"Zürich\",emoji=\"\uD83D\uDE00\"} 1\n"))
          .isEqualTo("1: m{city=<Zürich>,emoji=<\uD83D\uDE00>} 1.0\n");
    }

    @Test
    void acceptsATrailingCommaAndAnEmptyLabelSet() throws Exception {
      assertThat(events("m{a=\"1\",} 1\nm{} 2\nm{a=\"\"} 3\n"))
          .isEqualTo("1: m{a=<1>} 1.0\n2: m{} 2.0\n3: m{a=<>} 3.0\n");
    }

    @Test
    void acceptsBlanksBetweenTokens() throws Exception {
      assertThat(events("  m { a = \"1\" , b=\"2\" , }\t7   123  \n"))
          .isEqualTo("1: m{a=<1>,b=<2>} 7.0 @123\n");
    }

    @Test
    void acceptsAValueRightAfterTheLabelSet() throws Exception {
      assertThat(events("m{a=\"1\"}7\n")).isEqualTo("1: m{a=<1>} 7.0\n");
    }

    @ParameterizedTest
    @CsvSource({
      "1,1.0",
      "0,0.0",
      "007,7.0",
      "999999999999999,999999999999999.0",
      "9007199254740993,9007199254740992.0",
      "-1.5,-1.5",
      "+2,2.0",
      "1e3,1000.0",
      "1.5E-3,0.0015",
      ".5,0.5",
      "5.,5.0",
      "18446744073709551615,1.8446744073709552E19",
      "NaN,NaN",
      "nan,NaN",
      "+Inf,Infinity",
      "-Inf,-Infinity",
      "Inf,Infinity",
      "+infinity,Infinity"
    })
    void readsValues(String text, double expected) throws Exception {
      List<Double> values = new ArrayList<>();
      PrometheusTextParser.parse(
          ("m " + text + "\n").getBytes(UTF_8), (s, l) -> values.add(s.value()));
      assertThat(values).containsExactly(expected);
    }

    @Test
    void readsOptionalTimestamps() throws Exception {
      List<OptionalLong> timestamps = new ArrayList<>();
      PrometheusTextParser.parse(
          "a 1\nb 1 1700000000000\nc 1 -5\nd 1 9223372036854775807\ne 1 -9223372036854775808\n"
              .getBytes(UTF_8),
          (s, l) -> timestamps.add(s.timestampMillis()));
      assertThat(timestamps)
          .containsExactly(
              OptionalLong.empty(),
              OptionalLong.of(1_700_000_000_000L),
              OptionalLong.of(-5),
              OptionalLong.of(Long.MAX_VALUE),
              OptionalLong.of(Long.MIN_VALUE));
    }

    @Test
    void givesTheVisitorsOwnErrorBackUnchanged() {
      assertThatThrownBy(
              () ->
                  PrometheusTextParser.parse(
                      "a 1\nb 2\n".getBytes(UTF_8),
                      (s, line) -> {
                        if (s.name().equals("b")) {
                          throw new TextFormatException(line, "no b wanted");
                        }
                      }))
          .isInstanceOf(TextFormatException.class)
          .hasMessage("line 2: no b wanted");
    }

    @Test
    void labelsAreAMapLikeAnyOther() throws Exception {
      List<Map<String, String>> labels = new ArrayList<>();
      PrometheusTextParser.parse(
          "m{b=\"2\",a=\"1\"} 1\nm{} 2\n".getBytes(UTF_8), (s, l) -> labels.add(s.labels()));
      Map<String, String> expected = new java.util.LinkedHashMap<>();
      expected.put("b", "2");
      expected.put("a", "1");
      assertThat(labels.get(0))
          .isEqualTo(expected)
          .hasSameHashCodeAs(expected)
          .containsExactly(Map.entry("b", "2"), Map.entry("a", "1"))
          .doesNotContainKey("c");
      assertThat(labels.get(0).get("c")).isNull();
      assertThat(labels.get(0).toString()).isEqualTo("{b=2, a=1}");
      assertThat(labels.get(1)).isEmpty();
      assertThatThrownBy(() -> labels.get(0).entrySet().iterator().remove())
          .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void sharesTheStringsALineRepeatsFromTheLineBefore() throws Exception {
      List<Sample> samples = new ArrayList<>();
      PrometheusTextParser.parse(
          ("host_bytes_total{iface=\"eth0\",ip=\"198.18.0.1\",dir=\"in\"} 1\n"
                  + "host_bytes_total{iface=\"eth0\",ip=\"198.18.0.1\",dir=\"out\"} 2\n"
                  + "host_bytes_total{iface=\"eth0\",ip=\"198.18.0.2\",dir=\"out\"} 3\n")
              .getBytes(UTF_8),
          (s, l) -> samples.add(s));
      Sample first = samples.get(0);
      Sample second = samples.get(1);
      Sample third = samples.get(2);
      assertThat(second.name()).isSameAs(first.name());
      assertThat(second.labels().get("iface")).isSameAs(first.labels().get("iface"));
      assertThat(second.labels().get("ip")).isSameAs(first.labels().get("ip"));
      assertThat(third.labels().get("dir")).isSameAs(second.labels().get("dir"));
      assertThat(third.labels().get("ip")).isEqualTo("198.18.0.2");
      assertThat(second.labels().get("dir")).isEqualTo("out");
      assertThat(second.labels().keySet()).containsExactly("iface", "ip", "dir");
    }

    @Test
    void findsARepeatedLabelAmongMany() {
      // Past 16 labels repeats are found through a set; both ways must see every repeat.
      StringBuilder line = new StringBuilder("m{");
      for (int i = 0; i < 40; i++) {
        line.append("l").append(i).append("=\"v\",");
      }
      String many = line + "} 1\n";
      assertThatThrownBy(() -> events(line + "l3=\"again\"} 1\n"))
          .isInstanceOf(TextFormatException.class)
          .hasMessage("line 1: label \"l3\" given twice");
      assertThatThrownBy(() -> events("m{a=\"1\",b=\"2\",a=\"3\"} 1\n" + many))
          .hasMessage("line 1: label \"a\" given twice");
      assertThatThrownBy(() -> events(many + many.replace("l39=", "l16=")))
          .hasMessage("line 2: label \"l16\" given twice");
      assertThatThrownBy(() -> events(many + many.replace("l16=", "l0=")))
          .hasMessage("line 2: label \"l0\" given twice");
    }

    @Test
    void hasImmutableLabels() throws Exception {
      List<Map<String, String>> labels = new ArrayList<>();
      PrometheusTextParser.parse(
          "m{a=\"1\"} 1\n".getBytes(UTF_8), (s, l) -> labels.add(s.labels()));
      assertThatThrownBy(() -> labels.get(0).put("b", "2"))
          .isInstanceOf(UnsupportedOperationException.class);
    }
  }

  @Nested
  class Errors {

    /** Each case is {@code page|expected message}. */
    private static final String[] MALFORMED = {
      "<html><body>oops</body></html>|line 1: expected a metric name at column 1, found '<'",
      "1abc 1|line 1: expected a metric name at column 1, found '1'",
      "my-metric 1|line 1: invalid character in metric name at column 3, found '-'",
      "m|line 1: missing value for m",
      "m{a=\"1\"}|line 1: missing value for m",
      "m one|line 1: invalid value \"one\"",
      "m 1,5|line 1: invalid value \"1,5\"",
      "m 0x1p3|line 1: invalid value \"0x1p3\"",
      "m 1e|line 1: invalid value \"1e\"",
      "m .|line 1: invalid value \".\"",
      "m +NaN|line 1: invalid value \"+NaN\"",
      "m Infinityy|line 1: invalid value \"Infinityy\"",
      "m 1 12x|line 1: invalid timestamp \"12x\"",
      "m 1 1.5|line 1: invalid timestamp \"1.5\"",
      "m 1 -|line 1: invalid timestamp \"-\"",
      "m 1 9223372036854775808|line 1: timestamp out of range \"9223372036854775808\"",
      "m 1 2 3|line 1: unexpected text after the timestamp at column 7, found '3'",
      "m{a=\"1\" 1|line 1: expected ',' or '}' after the value of label \"a\" at column 9,"
          + " found '1'",
      "m{a=\"1\"|line 1: expected ',' or '}' after the value of label \"a\" at column 8,"
          + " found the end of the line",
      "m{a=\"1|line 1: unterminated value of label \"a\"",
      "m{a=\"1\\\"} 1|line 1: unterminated value of label \"a\"",
      "m{a=\"1\\|line 1: unterminated value of label \"a\"",
      "m{a=\"\\t\"} 1|line 1: invalid escape sequence in the value of label \"a\", found 't'",
      "m{a=1} 1|line 1: expected '\"' to open the value of label \"a\" at column 5, found '1'",
      "m{a} 1|line 1: expected '=' after label name \"a\" at column 4, found '}'",
      "m{,} 1|line 1: expected a label name or '}' at column 3, found ','",
      "m{a=\"1\",,} 1|line 1: expected a label name or '}' at column 9, found ','",
      "m{1a=\"1\"} 1|line 1: expected a label name or '}' at column 3, found '1'",
      "m{a:b=\"1\"} 1|line 1: expected '=' after label name \"a\" at column 4, found ':'",
      "m{a=\"1\",a=\"2\"} 1|line 1: label \"a\" given twice",
      "# TYPE m counter\n# TYPE m gauge|line 2: second TYPE line for m",
      "# TYPE m Counter|line 1: unknown type \"Counter\" for m (want counter, gauge,"
          + " histogram, summary or untyped)",
      "# TYPE m|line 1: unknown type \"\" for m (want counter, gauge, histogram, summary or"
          + " untyped)",
      "# TYPE m counter extra|line 1: unexpected text after the type in TYPE line for m",
      "# TYPE 1m counter|line 1: invalid metric name in TYPE line, found '1'",
      "# HELP m{ x|line 1: invalid metric name in HELP line, found '{'",
      "# HELP m a\n# HELP m b|line 2: second HELP line for m",
      "# HELP m bad \\t escape|line 1: invalid escape sequence in HELP text, found 't'",
      "# HELP m lone \\|line 1: HELP text ends in a lone backslash",
      "a 1\nb 2\n\nc{|line 4: expected a label name or '}' at column 3,"
          + " found the end of the line"
    };

    static Stream<Arguments> malformed() {
      return Stream.of(MALFORMED)
          .map(c -> c.split("\\|", 2))
          .map(pair -> Arguments.of(pair[0], pair[1]));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void rejectsMalformedLinesNamingTheLine(String page, String message) {
      assertThatThrownBy(() -> events(page.replace("\\n", "\n")))
          .isInstanceOf(TextFormatException.class)
          .hasMessage(message);
    }

    @Test
    void rejectsInvalidUtf8InLabelValues() {
      byte[] page = {'m', '{', 'a', '=', '"', (byte) 0xc3, (byte) 0x28, '"', '}', ' ', '1', '\n'};
      assertThatThrownBy(() -> events(page))
          .isInstanceOf(TextFormatException.class)
          .hasMessage("line 1: invalid UTF-8 in value of label \"a\"");
    }

    @Test
    void rejectsCarriageReturnLineEndings() {
      assertThatThrownBy(() -> events("a 1\r\n"))
          .isInstanceOf(TextFormatException.class)
          .hasMessage("line 1: invalid value \"1?\"");
    }

    @Test
    void namesThePageFirstWhenGivenKeepingLineAndReasonAndNoCause() {
      TextFormatException e =
          new TextFormatException(4, "invalid value \"x\"").withSource("http://127.0.0.1:1/m");
      assertThat(e).hasMessage("http://127.0.0.1:1/m: line 4: invalid value \"x\"").hasNoCause();
      assertThat(e.line()).isEqualTo(4);
      assertThat(e.reason()).isEqualTo("invalid value \"x\"");
    }

    @Test
    void namesTheLineNumberAsAValue() {
      assertThatThrownBy(() -> events("a 1\n\n# c\nb x\n"))
          .isInstanceOf(TextFormatException.class)
          .extracting(e -> ((TextFormatException) e).line())
          .isEqualTo(4L);
    }

    @Test
    void readsALineOfExactlyTheLimitAndRejectsOneByteMoreNamingItsLine() throws Exception {
      // a{l="xxx...x"} 1: 9 bytes around the value.
      String atTheLimit = "a{l=\"" + "x".repeat(PrometheusTextParser.MAX_LINE_BYTES - 9) + "\"} 1";
      assertThat(atTheLimit).hasSize(PrometheusTextParser.MAX_LINE_BYTES);
      List<Double> values = new ArrayList<>();
      PrometheusTextParser.parse(
          new ByteArrayInputStream(("b 2\n" + atTheLimit + "\n").getBytes(UTF_8)),
          (sample, line) -> values.add(sample.value()));
      assertThat(values).containsExactly(2.0, 1.0);

      String page = "b 2\n# c\n" + atTheLimit.replace("{l=\"", "{l=\"x") + "\nb 3\n";
      assertThatThrownBy(
              () ->
                  PrometheusTextParser.parse(
                      new ByteArrayInputStream(page.getBytes(UTF_8)), (sample, line) -> {}))
          .isInstanceOf(TextFormatException.class)
          .hasMessage("line 3: longer than 1048576 bytes, the limit of a line");
      assertThatThrownBy(() -> events(page))
          .hasMessage("line 3: longer than 1048576 bytes, the limit of a line");
    }

    @Test
    void rejectsAPageOfOneEndlessLineNamingLineOne() {
      // 64 MiB without a LF, generated as it is read: only the limit is ever buffered.
      InputStream endless =
          new InputStream() {
            private long left = 64L << 20;

            @Override
            public int read() {
              return left-- > 0 ? 'a' : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
              if (left <= 0) {
                return -1;
              }
              int n = (int) Math.min(len, left);
              Arrays.fill(b, off, off + n, (byte) 'a');
              left -= n;
              return n;
            }
          };
      assertThatThrownBy(() -> PrometheusTextParser.parse(endless, (sample, line) -> {}))
          .hasMessage("line 1: longer than 1048576 bytes, the limit of a line");
    }

    @Test
    void rejectsNulBytes() {
      assertThatThrownBy(() -> events(new byte[] {'a', 0, ' ', '1', '\n'}))
          .isInstanceOf(TextFormatException.class)
          .hasMessage("line 1: invalid character in metric name at column 2, found byte 0x00");
    }
  }
}
