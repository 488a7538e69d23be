package io.planetexporter.map;

/**
 * Prometheus could not be asked, did not answer in time, answered with an error or more than the
 * map takes ({@link #status}: 502), or the request needs more series than it may take (422).
 */
final class PrometheusException extends Exception {

  private static final long serialVersionUID = 1L;

  /** How the user can ask for less, for the errors of answers too large. */
  static final String NARROW =
      "ask for less: one hostgroup's neighbourhood (hostgroup=...), a smaller depth or a shorter"
          + " range";

  private final int status;

  PrometheusException(String message) {
    this(message, null);
  }

  PrometheusException(String message, Throwable cause) {
    this(502, message, cause);
  }

  /** The same failure, thrown again from the thread that waited for it. */
  PrometheusException(PrometheusException cause) {
    this(cause.status, cause.getMessage(), cause);
  }

  private PrometheusException(int status, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /**
   * The request needs more than {@code -prometheus-max-series}: the map's answer, not Prometheus,
   * is the problem, so 422 (the request cannot be served as asked) rather than 502.
   */
  static PrometheusException tooManySeries(int limit, Throwable cause) {
    return new PrometheusException(
        422,
        "the map needs more than "
            + limit
            + " series from Prometheus (-prometheus-max-series); "
            + NARROW
            + ", or raise -prometheus-max-series",
        cause);
  }

  /** The HTTP status the map answers with: 502 (Prometheus failed) or 422 (too many series). */
  int status() {
    return status;
  }
}
