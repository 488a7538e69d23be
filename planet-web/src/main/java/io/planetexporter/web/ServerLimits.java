package io.planetexporter.web;

import java.time.Duration;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What keeps the JDK's HTTP server from being stalled by its clients. It reads a request (and does
 * a TLS handshake) on a pool thread, so a client that sends part of a request and goes quiet holds
 * one thread. Hence: a connection is closed when its request has not fully arrived {@link
 * #READ_DEADLINE} after its first byte, or its response has not been written {@link
 * #WRITE_DEADLINE} after the request; the pool grows on demand to {@link #MAX_THREADS} threads that
 * die when idle, and a connection beyond it is closed at once instead of queued. A connection that
 * sends nothing holds no thread and is closed after {@link #READ_DEADLINE} too.
 */
public final class ServerLimits {

  public static final Duration READ_DEADLINE = Duration.ofSeconds(5);
  public static final Duration WRITE_DEADLINE = Duration.ofSeconds(30);
  public static final int MAX_THREADS = 512;

  private ServerLimits() {}

  /**
   * Sets the deadlines. The JDK's server reads them once, when its first instance is made: call
   * this before that, so that no {@code -D} of the environment changes them.
   */
  public static void applyDeadlines() {
    System.setProperty("sun.net.httpserver.maxReqTime", Long.toString(READ_DEADLINE.toSeconds()));
    System.setProperty("sun.net.httpserver.maxRspTime", Long.toString(WRITE_DEADLINE.toSeconds()));
    System.setProperty("sun.net.httpserver.idleInterval", "30");
    System.setProperty("sun.net.httpserver.timerMillis", "500");
  }

  /** The server's pool: 2 threads kept, up to {@link #MAX_THREADS}, none queued. */
  public static ThreadPoolExecutor executor() {
    AtomicInteger threads = new AtomicInteger();
    return new ThreadPoolExecutor(
        2,
        MAX_THREADS,
        30,
        TimeUnit.SECONDS,
        new SynchronousQueue<>(),
        runnable -> {
          Thread thread = new Thread(runnable, "http-" + threads.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }
}
