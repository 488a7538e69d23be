package io.planetexporter.task.socketstat;

/** Transport protocol of a socket, with its {@code protocol} label value. */
enum Protocol {
  TCP("tcp"),
  UDP("udp");

  private final String label;

  Protocol(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }
}
