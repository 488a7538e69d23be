package io.planetexporter.api;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The logger {@link TaskContext#logger()} gives: a child of {@code io.planetexporter.task.<name>}
 * (so levels and handlers are configured there) that adds {@code task=<name>} to each record's
 * key-value parameters.
 */
final class TaskLogger extends Logger {

  private static final Map<String, TaskLogger> byTask = new ConcurrentHashMap<>();

  private final String task;

  private TaskLogger(String task) {
    super(parentName(task), null);
    this.task = task;
    setParent(Logger.getLogger(parentName(task)));
  }

  static Logger of(String task) {
    return byTask.computeIfAbsent(task, TaskLogger::new);
  }

  static String parentName(String task) {
    return "io.planetexporter.task." + task;
  }

  @Override
  public void log(LogRecord record) {
    Object[] parameters = record.getParameters();
    String message = record.getMessage() == null ? "" : record.getMessage();
    // A message with {0} placeholders takes its parameters by position: leave those alone.
    if (parameters == null || parameters.length == 0) {
      record.setParameters(new Object[] {"task", task});
    } else if (!message.contains("{0")) {
      Object[] tagged = new Object[parameters.length + 2];
      tagged[0] = "task";
      tagged[1] = task;
      System.arraycopy(parameters, 0, tagged, 2, parameters.length);
      record.setParameters(tagged);
    }
    super.log(record);
  }
}
