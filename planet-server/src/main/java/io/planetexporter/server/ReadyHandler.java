package io.planetexporter.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.planetexporter.collector.Crew;
import io.planetexporter.collector.TaskStatus;
import io.planetexporter.web.Responses;
import java.io.IOException;
import java.util.List;

/** {@code /-/ready}: 200 once every enabled task has completed its first run, else 503. */
final class ReadyHandler implements HttpHandler {

  private final Crew crew;

  ReadyHandler(Crew crew) {
    this.crew = crew;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    if (crew.ready()) {
      Responses.text(exchange, 200, "OK\n");
      return;
    }
    List<String> waiting =
        crew.statuses().stream().filter(s -> !s.completedFirstRun()).map(TaskStatus::name).toList();
    Responses.text(
        exchange, 503, "waiting for the first run of: " + String.join(", ", waiting) + "\n");
  }
}
