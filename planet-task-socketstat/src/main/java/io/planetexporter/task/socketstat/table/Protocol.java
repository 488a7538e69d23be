package io.planetexporter.task.socketstat.table;

/** Transport protocol of a socket, with its {@code protocol} label value. */
public enum Protocol {
  TCP("tcp"),
  UDP("udp");

  private final String label;

  Protocol(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
