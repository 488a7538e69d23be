package io.planetexporter.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TaskLoggerTest {

  private static final String TASK = "logger-test-" + Long.toHexString(System.nanoTime());

  private final Logger parent = Logger.getLogger(TaskLogger.parentName(TASK));
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  /** A context that implements only what version 0.1 of the API asked for. */
  private final TaskContext context =
      new TaskContext() {
        @Override
        public String taskName() {
          return TASK;
        }

        @Override
        public TaskConfig config() {
          throw new UnsupportedOperationException();
        }

        @Override
        public Inventory inventory() {
          return Inventory.empty();
        }

        @Override
        public HostIdentity host() {
          throw new UnsupportedOperationException();
        }

        @Override
        public Clock clock() {
          return Clock.systemUTC();
        }
      };

  @BeforeEach
  void listen() {
    parent.addHandler(handler);
    parent.setUseParentHandlers(false);
  }

  @AfterEach
  void stopListening() {
    parent.removeHandler(handler);
  }

  @Test
  void tagsEachRecordWithTheTaskAndNamesItAfterTheTask() {
    context.logger().log(Level.WARNING, "cache rebuilt", new Object[] {"entries", 42});
    context.logger().info("started");

    assertThat(records).hasSize(2);
    assertThat(records.get(0).getLoggerName()).isEqualTo("io.planetexporter.task." + TASK);
    assertThat(records.get(0).getParameters()).containsExactly("task", TASK, "entries", 42);
    assertThat(records.get(1).getParameters()).containsExactly("task", TASK);
  }

  @Test
  void leavesPositionalParametersAlone() {
    context.logger().log(Level.INFO, "read {0} entries", 7);

    assertThat(records.get(0).getParameters()).containsExactly(7);
  }

  @Test
  void followsTheLevelSetForTheTask() {
    parent.setLevel(Level.WARNING);
    try {
      context.logger().info("hidden");
      context.logger().warning("shown");
    } finally {
      parent.setLevel(null);
    }

    assertThat(records).extracting(LogRecord::getMessage).containsExactly("shown");
    assertThat(context.logger()).isSameAs(context.logger());
  }
}
