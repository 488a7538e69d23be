package io.planetexporter.server;

import io.planetexporter.collector.Crew;
import io.planetexporter.collector.TaskStatus;
import io.planetexporter.web.Endpoint;
import io.planetexporter.web.WebRequest;
import io.planetexporter.web.WebResponse;
import java.util.List;

/** {@code /-/ready}: 200 once every enabled task has completed its first run, else 503. */
final class ReadyHandler implements Endpoint {

  private final Crew crew;

  ReadyHandler(Crew crew) {
    this.crew = crew;
  }

  @Override
  public WebResponse answer(WebRequest request) {
    if (crew.ready()) {
      return WebResponse.text(200, "OK\n");
    }
    List<String> waiting =
        crew.statuses().stream().filter(s -> !s.completedFirstRun()).map(TaskStatus::name).toList();
    return WebResponse.text(
        503, "waiting for the first run of: " + String.join(", ", waiting) + "\n");
  }
}
