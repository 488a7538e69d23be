package io.planetexporter.map;

/** Prometheus could not be asked, did not answer in time, or answered with an error. */
final class PrometheusException extends Exception {

  private static final long serialVersionUID = 1L;

  PrometheusException(String message) {
    super(message);
  }

  PrometheusException(String message, Throwable cause) {
    super(message, cause);
  }
}
