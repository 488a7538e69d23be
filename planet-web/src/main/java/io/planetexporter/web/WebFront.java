package io.planetexporter.web;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.api.OptionType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The HTTP(S) front of both programs: Jetty's NIO server, so that a connection holds a thread only
 * while its request is being answered. A connection that is idle, sends half a request or half a
 * TLS handshake, or reads slowly, costs a socket and a few kilobytes, never a thread.
 *
 * <ul>
 *   <li>An endpoint gets a request only once it has fully arrived, and returns the whole response
 *       in memory; the front writes it afterwards without a thread (the endpoint's limits, such as
 *       the exporter's scrape slots, are released before the first byte is written).
 *   <li>A connection on which nothing moves for {@link #IDLE_TIMEOUT} is closed: an idle keep-alive
 *       connection, a request or handshake that stopped halfway, a client that stopped reading. A
 *       response not written within {@link #WRITE_DEADLINE} is cut off.
 *   <li>At most {@code connectionsPerAddress} connections from one address ({@link
 *       #CONNECTIONS_PER_ADDRESS} by default); at most {@link #MAX_THREADS} threads in all.
 *   <li>Jetty's parser answers bad input itself: 431 for headers beyond {@link #HEADER_BYTES}, 400
 *       for smuggling shapes (both {@code Content-Length} and {@code Transfer-Encoding}, two
 *       lengths) and for paths with encoded or escaping {@code ..}; an endpoint sees only the
 *       normalised path.
 *   <li>Every response carries the web config's headers and passes its rate limit and basic
 *       authentication first; a failing endpoint is a 500 without a stack trace.
 *   <li>A response that cannot be written to the end (the client went away, or read too slowly) is
 *       logged at FINE and counted by {@code abortedResponse}.
 * </ul>
 */
public final class WebFront implements AutoCloseable {

  private static final Logger logger = Logger.getLogger(WebFront.class.getName());
  // Jetty logs through SLF4J into java.util.logging: its INFO is its start-up banner, and it warns
  // of what clients send (two Host headers...), which any client could fill the log with; the
  // front reports its own failures. Held here: java.util.logging keeps loggers weakly, and a
  // collected one forgets its level.
  private static final Logger jetty = Logger.getLogger("org.eclipse.jetty");

  public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration WRITE_DEADLINE = Duration.ofSeconds(30);
  public static final int CONNECTIONS_PER_ADDRESS = 64;

  /**
   * Both programs' flag for the cap; an address behind which many clients share (NAT) needs more.
   */
  public static final Flag CONNECTIONS_PER_ADDRESS_FLAG =
      Flag.of(
          "web.max-connections-per-address",
          OptionType.INTEGER,
          Integer.toString(CONNECTIONS_PER_ADDRESS),
          "Most open connections from one client address; one more is closed when it opens.");

  public static final int MAX_THREADS = 32;
  public static final int HEADER_BYTES = 8 * 1024;
  // What Jetty's buffer pool may keep between uses. Unbounded, it kept a buffer for each of 2,000
  // connections stalled halfway through a TLS handshake long after they were gone (issue 20's
  // attack: RSS over 150 MiB); a buffer beyond this is allocated and left to the collector.
  private static final long POOLED_BYTES = 4L * 1024 * 1024;
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);
  // Jetty's cache-line padding asks the platform MBean server how wide a reference is unless told:
  // that boots JMX, ~250 classes and every platform MXBean, 3 MiB of RSS for one number (16 is a
  // 64-byte line of 4-byte references; with 8-byte ones it only pads more).
  private static final String REFERENCES_PER_CACHE_LINE =
      "org.eclipse.jetty.util.referencesPerCacheLine";

  private final Server server;
  private final ServerConnector connector;

  private WebFront(Server server, ServerConnector connector) {
    this.server = server;
    this.connector = connector;
  }

  /**
   * Binds {@code address} and serves {@code endpoint} behind what {@code web} asks for: https when
   * it has TLS.
   *
   * @param connectionsPerAddress at most this many open connections from one remote address
   * @param abortedResponse told of each response that could not be written to the end
   * @throws IOException when the address cannot be bound
   */
  public static WebFront start(
      InetSocketAddress address,
      WebSecurity web,
      Endpoint endpoint,
      int connectionsPerAddress,
      Runnable abortedResponse)
      throws IOException {
    if (connectionsPerAddress < 1) {
      throw new IllegalArgumentException("connectionsPerAddress must be at least 1");
    }
    jetty.setLevel(Level.SEVERE);
    System.getProperties().putIfAbsent(REFERENCES_PER_CACHE_LINE, "16");
    QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 2);
    threads.setName("http");
    Server server =
        new Server(
            threads, null, new ArrayByteBufferPool(0, -1, -1, -1, POOLED_BYTES, POOLED_BYTES));
    server.setErrorHandler(new Refusals());

    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    http.setRequestHeaderSize(HEADER_BYTES);
    // Heap buffers rather than direct ones: the heap shrinks back after an attack, and a direct
    // buffer dropped by the pool is freed only when the collector gets to its owner.
    http.setUseInputDirectByteBuffers(false);
    http.setUseOutputDirectByteBuffers(false);
    // The first is what the connector makes a connection with: nothing until its first bytes.
    // Jetty's default TLS customizer answers 400 "Invalid SNI" to a request whose Host is not a
    // name of the certificate: Prometheus scraping by IP with tls_config.server_name sends such a
    // Host, and the exporter-toolkit (as the JDK's server before) does not look at it.
    web.tls().ifPresent(tls -> http.addCustomizer(new SecureRequestCustomizer(false)));
    List<ConnectionFactory> factories = new ArrayList<>();
    factories.add(new HttpConnectionFactory(http));
    web.tls()
        .ifPresent(
            tls ->
                factories.add(
                    0, new PartialRecordSslConnectionFactory(tls.sslContextFactory(), "http/1.1")));
    factories.add(0, new FirstBytesConnectionFactory(factories.get(0)));
    ServerConnector connector =
        new ServerConnector(server, 1, 1, factories.toArray(new ConnectionFactory[0]));
    // No host is every address, IPv4 and IPv6 alike, as the JDK's server bound a wildcard.
    connector.setHost(
        address.getAddress() == null || address.getAddress().isAnyLocalAddress()
            ? null
            : address.getAddress().getHostAddress());
    connector.setPort(address.getPort());
    connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
    connector.setAcceptQueueSize(128);
    connector.addBean(new ConnectionsPerAddress(connectionsPerAddress));
    server.addConnector(connector);

    server.setHandler(
        new GracefulHandler(new Front(web.headers(), web.guard(endpoint), abortedResponse)));
    server.setStopTimeout(STOP_GRACE.toMillis());
    server.setStopAtShutdown(false);
    try {
      server.start();
    } catch (IOException e) {
      stopQuietly(server);
      throw e;
    } catch (Exception e) {
      stopQuietly(server);
      throw new IOException(e.getMessage(), e);
    }
    return new WebFront(server, connector);
  }

  /**
   * Reads {@link #CONNECTIONS_PER_ADDRESS_FLAG}.
   *
   * @throws ConfigurationException naming where the value came from when it is not a count from 1
   */
  public static int connectionsPerAddress(OptionValue value) throws ConfigurationException {
    long count;
    try {
      count = (Long) OptionType.INTEGER.parse(value.text());
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(value.origin() + ": " + e.getMessage(), e);
    }
    if (count < 1 || count > Integer.MAX_VALUE) {
      throw new ConfigurationException(
          value.origin() + ": must be between 1 and " + Integer.MAX_VALUE);
    }
    return (int) count;
  }

  /** The bound address, with the actual port. */
  public InetSocketAddress address() {
    try {
      return (InetSocketAddress) ((ServerSocketChannel) connector.getTransport()).getLocalAddress();
    } catch (IOException e) {
      throw new UncheckedIOException("the listening socket is gone", e);
    }
  }

  /** Stops accepting, lets the requests in flight finish ({@code 5 s} at most), then stops. */
  @Override
  public void close() {
    stopQuietly(server);
  }

  private static void stopQuietly(Server server) {
    try {
      server.stop();
    } catch (Exception e) {
      logger.log(Level.FINE, "stopping the HTTP server", e);
    }
  }

  /**
   * Jetty's answers to bad input (400, 431...), without stack or cause; except to a request that
   * the connection's end cut short, which is dropped without an answer: it is no request.
   */
  private static final class Refusals extends ErrorHandler {

    private static final String EARLY_EOF = "Early EOF";

    Refusals() {
      setShowStacks(false);
      setShowCauses(false);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      if (EARLY_EOF.equals(request.getAttribute(ERROR_MESSAGE))
          || (request.getAttribute(ERROR_EXCEPTION) instanceof Throwable cause
              && EARLY_EOF.equals(cause.getMessage()))) {
        request.getConnectionMetaData().getConnection().getEndPoint().close();
        callback.succeeded();
        return true;
      }
      return super.handle(request, response, callback);
    }
  }

  /** The one handler: the request to the endpoint, its response out, without a thread. */
  private static final class Front extends Handler.Abstract {

    private static final WebResponse FAILED = WebResponse.text(500, "internal error\n");

    private final Map<String, String> headers;
    private final Endpoint endpoint;
    private final Runnable abortedResponse;

    Front(Map<String, String> headers, Endpoint endpoint, Runnable abortedResponse) {
      this.headers = Map.copyOf(headers);
      this.endpoint = endpoint;
      this.abortedResponse = abortedResponse;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      WebRequest web = webRequest(request);
      WebResponse answer;
      try {
        answer = endpoint.answer(web);
      } catch (IOException | RuntimeException e) {
        LogRecord record = new LogRecord(Level.FINE, "request failed");
        record.setParameters(new Object[] {"path", web.path()});
        record.setThrown(e);
        record.setLoggerName(logger.getName());
        logger.log(record);
        answer = FAILED;
      }
      response.setStatus(answer.status());
      HttpFields.Mutable fields = response.getHeaders();
      headers.forEach(fields::put);
      answer.headers().forEach(fields::put);
      fields.put(HttpHeader.CONTENT_TYPE, answer.contentType());
      fields.put(HttpHeader.CONTENT_LENGTH, answer.body().length);
      Scheduler.Task deadline =
          request
              .getComponents()
              .getScheduler()
              .schedule(
                  () -> request.getConnectionMetaData().getConnection().getEndPoint().close(),
                  WRITE_DEADLINE.toMillis(),
                  TimeUnit.MILLISECONDS);
      // Jetty sends no body to a HEAD request, and the Content-Length of the one GET would get.
      response.write(
          true,
          ByteBuffer.wrap(answer.body()),
          Callback.from(
              () -> {
                deadline.cancel();
                callback.succeeded();
              },
              failure -> {
                deadline.cancel();
                abortedResponse.run();
                logger.log(
                    Level.FINE,
                    "response aborted",
                    new Object[] {
                      "path",
                      web.path(),
                      "remote",
                      Request.getRemoteAddr(request),
                      "err",
                      String.valueOf(failure)
                    });
                callback.failed(failure);
              }));
      return true;
    }

    private static WebRequest webRequest(Request request) {
      Map<String, List<String>> headers = new LinkedHashMap<>();
      for (HttpField field : request.getHeaders()) {
        headers
            .computeIfAbsent(field.getName().toLowerCase(Locale.ROOT), name -> new ArrayList<>())
            .add(field.getValue());
      }
      return new WebRequest(
          request.getMethod(),
          Request.getPathInContext(request),
          request.getHttpURI().getQuery(),
          headers);
    }
  }
}
