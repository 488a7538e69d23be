package io.planetexporter.web;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;

/**
 * {@code rate_limit}: a token bucket of {@code burst} requests refilled one per {@code interval},
 * as the toolkit's; a request without a token gets 429.
 */
final class RateLimitFilter extends Filter {

  private final double intervalNanos;
  private final int burst;
  private double tokens;
  private long lastNanos;

  RateLimitFilter(Duration interval, int burst) {
    this.intervalNanos = interval.toNanos();
    this.burst = burst;
    this.tokens = burst;
    this.lastNanos = System.nanoTime();
  }

  @Override
  public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
    if (take()) {
      chain.doFilter(exchange);
      return;
    }
    Responses.text(exchange, 429, "Too Many Requests\n");
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

  @Override
  public String description() {
    return "rate limit";
  }
}
