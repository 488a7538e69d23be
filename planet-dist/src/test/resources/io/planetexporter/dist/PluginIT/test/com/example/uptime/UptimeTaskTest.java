package com.example.uptime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.api.Task;
import io.planetexporter.api.testing.TaskRun;
import io.planetexporter.api.testing.TestTaskContext;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UptimeTaskTest {

  @TempDir Path procRoot;

  /** The task as the exporter creates it for -task-uptime-proc-root=<procRoot>. */
  private Task task() throws ConfigurationException {
    return TestTaskContext.of(new UptimeTaskProvider(), Map.of("proc-root", procRoot.toString()))
        .create();
  }

  @Test
  void servesTheSecondsUpReadFromProcRoot() throws Exception {
    Files.writeString(procRoot.resolve("uptime"), "12345.67 23456.78\n");

    assertEquals(
        """
        # HELP planet_uptime_seconds How long this host has been up.
        # TYPE planet_uptime_seconds gauge
        planet_uptime_seconds 12345.67
        """,
        TaskRun.runAndRender(task()));
  }

  @Test
  void servesNothingUntilARunSucceeds() throws Exception {
    Task task = task();

    assertThrows(NoSuchFileException.class, task::run);
    assertEquals("", TaskRun.render(task));
  }
}
