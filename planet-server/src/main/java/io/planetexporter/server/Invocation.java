package io.planetexporter.server;

/** What the command line asks for. */
sealed interface Invocation {

  /** Print the help text and exit 0. */
  record Help(String text) implements Invocation {}

  /** Print the version and exit 0. */
  record Version() implements Invocation {}

  /** Run the exporter. */
  record Run(Settings settings) implements Invocation {}
}
