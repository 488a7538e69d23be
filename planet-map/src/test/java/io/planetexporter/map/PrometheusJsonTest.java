package io.planetexporter.map;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planetexporter.map.PrometheusJson.Answer;
import io.planetexporter.map.PrometheusJson.Point;
import io.planetexporter.map.PrometheusJson.Series;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PrometheusJsonTest {

  private static final PrometheusJson.DataReader<List<QuerySeries>> VECTOR =
      (parser, strings) -> PrometheusJson.vector(parser, strings, new SeriesBudget(10));
  private static final PrometheusJson.DataReader<List<Series>> MATRIX =
      (parser, strings) -> PrometheusJson.matrix(parser, strings, new SeriesBudget(10));

  private static <T> Answer<T> read(String json, PrometheusJson.DataReader<T> reader)
      throws IOException {
    return PrometheusJson.read(new ByteArrayInputStream(json.getBytes(UTF_8)), reader);
  }

  @Test
  void readsAVectorWithoutTheMetricName() throws IOException {
    Answer<List<QuerySeries>> answer =
        read(
            """
            {"status":"success","warnings":["slow"],"data":{"resultType":"vector","result":[
              {"metric":{"__name__":"x","local_node":"web","port":"80"},"value":[1700000000.5,"2"]},
              {"metric":{"local_node":"web"},"value":[1700000000,"NaN"]},
              {"metric":{},"value":[1700000000,"+Inf"]}]}}
            """,
            VECTOR);

    assertThat(answer.success()).isTrue();
    assertThat(answer.data())
        .extracting(QuerySeries::labels)
        .containsExactly(
            Map.of("local_node", "web", "port", "80"), Map.of("local_node", "web"), Map.of());
    assertThat(answer.data())
        .extracting(QuerySeries::value)
        .containsExactly(2.0, Double.NaN, Double.POSITIVE_INFINITY);
  }

  @Test
  void keepsEachLabelValueOncePerAnswer() throws IOException {
    List<QuerySeries> samples =
        read(
                """
                {"status":"success","data":{"resultType":"vector","result":[
                  {"metric":{"local_node":"web"},"value":[1,"1"]},
                  {"metric":{"remote_node":"web"},"value":[1,"1"]}]}}
                """,
                VECTOR)
            .data();

    assertThat(samples.get(0).label("local_node")).isSameAs(samples.get(1).label("remote_node"));
  }

  @Test
  void readsAMatrix() throws IOException {
    List<Series> series =
        read(
                """
                {"data":{"result":[{"metric":{"direction":"egress"},
                  "values":[[1700000000,"1.5"],[1700000060,"3"]]}],"resultType":"matrix"},
                 "status":"success"}
                """,
                MATRIX)
            .data();

    assertThat(series)
        .containsExactly(
            new Series(
                Map.of("direction", "egress"),
                List.of(new Point(1700000000, 1.5), new Point(1700000060, 3))));
  }

  @Test
  void readsAnError() throws IOException {
    Answer<List<QuerySeries>> answer =
        read(
            """
            {"status":"error","errorType":"bad_data","error":"parse error at char 3"}
            """,
            VECTOR);

    assertThat(answer.success()).isFalse();
    assertThat(answer.errorType()).isEqualTo("bad_data");
    assertThat(answer.error()).isEqualTo("parse error at char 3");
  }

  @Test
  void readsLabelValues() throws IOException {
    assertThat(
            read("{\"status\":\"success\",\"data\":[\"b\",\"a\"]}", PrometheusJson::strings).data())
        .isEqualTo(Set.of("a", "b"));
  }

  @Test
  void refusesTheWrongResultType() {
    assertThatThrownBy(
            () ->
                read(
                    "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"2\"]}}",
                    VECTOR))
        .isInstanceOf(IOException.class)
        .hasMessage("expected a vector, got \"scalar\"");
  }

  @Test
  void refusesGarbage() {
    assertThatThrownBy(() -> read("<html>proxy error</html>", VECTOR))
        .isInstanceOf(IOException.class);
  }
}
