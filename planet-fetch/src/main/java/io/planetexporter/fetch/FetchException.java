package io.planetexporter.fetch;

/**
 * A fetch by {@link BoundedFetcher} failed. The message names the URI and what went wrong, e.g.
 * {@code GET http://127.0.0.1:5/x: HTTP 500}, so it can be logged as it is; it carries no cause, as
 * its message already says all the cause would.
 */
public final class FetchException extends Exception {

  private static final long serialVersionUID = 1L;

  public FetchException(String message) {
    super(message);
  }
}
