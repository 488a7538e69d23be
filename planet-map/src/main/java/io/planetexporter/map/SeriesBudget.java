package io.planetexporter.map;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The series one map request may take from Prometheus, all its queries together ({@code
 * -prometheus-max-series}): each series read is taken from it as the answer is parsed, so a request
 * that would need more stops at the limit instead of holding them all.
 */
final class SeriesBudget {

  /** The request needs more series than the limit; thrown from the parser, so an IOException. */
  static final class Exceeded extends IOException {
    private static final long serialVersionUID = 1L;

    Exceeded(int limit) {
      super("more than " + limit + " series");
    }
  }

  private final int limit;
  private final AtomicInteger left;

  SeriesBudget(int limit) {
    this.limit = limit;
    this.left = new AtomicInteger(limit);
  }

  /** Takes one series. */
  void take() throws Exceeded {
    if (left.decrementAndGet() < 0) {
      throw new Exceeded(limit);
    }
  }

  int limit() {
    return limit;
  }
}
