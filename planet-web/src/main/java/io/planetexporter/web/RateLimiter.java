package io.planetexporter.web;

import java.time.Duration;

/**
 * {@code rate_limit}: a token bucket of {@code burst} requests refilled one per {@code interval},
 * as the toolkit's; a request without a token gets 429. One bucket for the whole server, shared by
 * the endpoints it guards.
 */
final class RateLimiter {

  private static final WebResponse TOO_MANY = WebResponse.text(429, "Too Many Requests\n");

  private final double intervalNanos;
  private final int burst;
  private double tokens;
  private long lastNanos;

  RateLimiter(Duration interval, int burst) {
    this.intervalNanos = interval.toNanos();
    this.burst = burst;
    this.tokens = burst;
    this.lastNanos = System.nanoTime();
  }

  /** {@code next} behind this bucket. */
  Endpoint guard(Endpoint next) {
    return request -> take() ? next.answer(request) : TOO_MANY;
  }

  private synchronized boolean take() {
    long now = System.nanoTime();
    tokens = Math.min(burst, tokens + (now - lastNanos) / intervalNanos);
    lastNanos = now;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
