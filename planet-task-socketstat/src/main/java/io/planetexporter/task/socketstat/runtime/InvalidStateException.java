package io.planetexporter.task.socketstat.runtime;

import java.io.IOException;

/** A state file that was read but does not hold what its runtime writes there. */
final class InvalidStateException extends IOException {

  private static final long serialVersionUID = 1L;

  InvalidStateException(String message) {
    super(message);
  }

  InvalidStateException(String message, Throwable cause) {
    super(message, cause);
  }
}
