package io.planetexporter.map;

import io.planetexporter.api.GoDuration;
import io.planetexporter.fetch.FetchException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLException;

/**
 * What the map says when asking Prometheus fails: each message names Prometheus by its redacted
 * URL, what happened, and the flags that can fix it.
 */
final class PrometheusFailures {

  private final String shown;
  private final long maxResponseBytes;

  /**
   * @param shown the URL as it may be shown ({@link io.planetexporter.fetch.Redaction})
   * @param maxResponseBytes {@code -prometheus-max-response-size}
   */
  PrometheusFailures(String shown, long maxResponseBytes) {
    this.shown = shown;
    this.maxResponseBytes = maxResponseBytes;
  }

  /** A password or token file could not be read; its message names the file, never its content. */
  PrometheusException noCredentials(FetchException e) {
    return new PrometheusException("cannot ask Prometheus at " + shown + ": " + e.getMessage());
  }

  /** No answer: the connection, TLS or the timeout failed. */
  PrometheusException unreachable(Throwable failure, Duration timeout) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof HttpTimeoutException) {
      return new PrometheusException(
          "Prometheus at " + shown + " did not answer within " + GoDuration.format(timeout), cause);
    }
    if (cause instanceof ConnectException) {
      return new PrometheusException(
          "Prometheus at " + shown + " is unreachable (connection refused)", cause);
    }
    if (cause instanceof IOException) {
      return new PrometheusException(
          "Prometheus at "
              + shown
              + " is unreachable: "
              + cause.getClass().getSimpleName()
              + (cause.getMessage() == null ? "" : ": " + cause.getMessage())
              + tlsHint(cause),
          cause);
    }
    return new PrometheusException("asking Prometheus at " + shown + " failed: " + cause, cause);
  }

  /**
   * The TLS files to check after a failure: after a TLS error; and after any other failure of a
   * connection to an {@code https} URL, as a server that refuses the client's certificate under TLS
   * 1.3 does so after the handshake, and its alert is lost when the connection is reset under the
   * request (the client then sees only the connection closed).
   */
  private String tlsHint(Throwable cause) {
    String files =
        "check -prometheus-tls-ca-file, -prometheus-tls-cert-file and -prometheus-tls-key-file)";
    if (cause instanceof SSLException) {
      return " (TLS: " + files;
    }
    return shown.startsWith("https:")
        ? " (TLS: a server that requires a client certificate closes the connection so; " + files
        : "";
  }

  /** The answer passed {@code -prometheus-max-response-size}. */
  PrometheusException tooLarge(String length) {
    return new PrometheusException(
        "Prometheus at "
            + shown
            + " answered one query with more than the "
            + maxResponseBytes
            + " bytes of -prometheus-max-response-size"
            + length
            + "; "
            + PrometheusException.NARROW
            + ", or raise -prometheus-max-response-size");
  }

  /** The answer was still arriving when the timeout passed. */
  PrometheusException unfinished(Duration timeout, long bytes, IOException cause) {
    return new PrometheusException(
        "Prometheus at "
            + shown
            + " did not finish its answer within "
            + GoDuration.format(timeout)
            + " ("
            + bytes
            + " bytes read)",
        cause);
  }

  /** The answer is no JSON of Prometheus's API (a proxy's or an auth front's page, say). */
  PrometheusException unreadable(int status, IOException cause) {
    return new PrometheusException(
        status == 200
            ? answered(status) + " with an answer the map cannot read: " + cause.getMessage()
            : answered(status) + " without JSON" + hint(status),
        cause);
  }

  /** Prometheus answered an error, or its answer ended badly. */
  PrometheusException refused(int status, String error) {
    return new PrometheusException(answered(status) + ": " + error);
  }

  private String answered(int status) {
    return "Prometheus at " + shown + " answered HTTP " + status;
  }

  /** Why an answer without JSON may have come, for the statuses of a proxy or an auth front. */
  private static String hint(int status) {
    return switch (status) {
      case 401 ->
          " (unauthorized: check -prometheus-basic-auth-username and -password-file,"
              + " -prometheus-bearer-token-file or the user in -prometheus-url)";
      case 403 -> " (forbidden: the credentials are not allowed to query)";
      default -> "";
    };
  }
}
