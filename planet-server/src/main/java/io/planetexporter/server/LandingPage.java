package io.planetexporter.server;

import io.planetexporter.api.GoDuration;
import io.planetexporter.collector.Crew;
import io.planetexporter.collector.TaskStatus;
import io.planetexporter.web.Endpoint;
import io.planetexporter.web.WebRequest;
import io.planetexporter.web.WebResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** {@code /}: version, host, link to the metrics and each task's last run. */
final class LandingPage implements Endpoint {

  private final Crew crew;
  private final BuildInfo build;

  LandingPage(Crew crew, BuildInfo build) {
    this.crew = crew;
    this.build = build;
  }

  @Override
  public WebResponse answer(WebRequest request) {
    return WebResponse.of(200, "text/html; charset=utf-8", html());
  }

  private String html() {
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html>\n<html>\n<head><meta charset=\"utf-8\">")
        .append("<title>planet-exporter</title></head>\n<body>\n<h1>planet-exporter</h1>\n")
        .append("<p>Version ")
        .append(escape(build.version()))
        .append(" (branch ")
        .append(escape(build.branch()))
        .append(", revision ")
        .append(escape(build.revision()))
        .append("), Java ")
        .append(escape(build.javaVersion()))
        .append("</p>\n<p>Host ")
        .append(escape(crew.host().hostname()))
        .append(", primary IP ")
        .append(crew.host().primaryAddress())
        .append("</p>\n<p><a href=\"/metrics\">Metrics</a></p>\n<h2>Tasks</h2>\n");
    List<TaskStatus> statuses = crew.statuses();
    if (statuses.isEmpty()) {
      html.append("<p>No task is enabled.</p>\n");
    } else {
      html.append("<table>\n<tr><th>Task</th><th>Interval</th><th>Last run</th>")
          .append("<th>Took</th><th>Status</th></tr>\n");
      Instant now = Instant.now();
      for (TaskStatus status : statuses) {
        html.append("<tr><td>")
            .append(escape(status.name()))
            .append("</td><td>")
            .append(GoDuration.format(status.interval()))
            .append("</td><td>")
            .append(
                status
                    .lastRunEnd()
                    .map(t -> t.truncatedTo(ChronoUnit.SECONDS).toString())
                    .orElse("never"))
            .append("</td><td>")
            .append(GoDuration.format(status.lastRunDuration().truncatedTo(ChronoUnit.MILLIS)))
            .append("</td><td>")
            .append(escape(describe(status, now)))
            .append(note(crew.statusNote(status.name())))
            .append("</td></tr>\n");
      }
      html.append("</table>\n");
    }
    html.append("</body>\n</html>\n");
    return html.toString();
  }

  private static String describe(TaskStatus status, Instant now) {
    if (status.overdue(now)) {
      return "overdue: running since " + status.runningSince().orElseThrow();
    }
    if (!status.completedFirstRun()) {
      return "first run in progress";
    }
    return status.lastRunSucceeded() ? "ok" : "failed: " + status.lastError();
  }

  private static String note(String note) {
    return note.isEmpty() ? "" : " (" + escape(note) + ")";
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
