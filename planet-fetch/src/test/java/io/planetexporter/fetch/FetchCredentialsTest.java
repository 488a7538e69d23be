package io.planetexporter.fetch;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planetexporter.testfixtures.TestHttpServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Outbound credentials, redirects and the redaction of secrets in {@link BoundedFetcher}. */
class FetchCredentialsTest {

  private TestHttpServer server;
  private TestHttpServer other;
  @TempDir Path dir;

  @BeforeEach
  void startServers() throws Exception {
    server = TestHttpServer.start();
    other = TestHttpServer.start();
  }

  @AfterEach
  void stopServers() {
    server.close();
    other.close();
  }

  private static BoundedFetcher fetcher(FetchAuth auth) {
    return new BoundedFetcher(Duration.ofSeconds(10), 1024, auth);
  }

  private static String basic(String credentials) {
    return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(UTF_8));
  }

  private URI withSecrets(TestHttpServer target, String path) {
    URI plain = target.uri(path);
    return URI.create(
        plain.getScheme()
            + "://inv%40user:p%3Ass@"
            + plain.getAuthority()
            + plain.getPath()
            + "?token=t0ps3cret&x=1");
  }

  @Test
  void sendsTheUrlsUserAndPasswordAsBasicAuth() throws Exception {
    server.respond(200, "[]");

    byte[] body = fetcher(FetchAuth.NONE).fetch(withSecrets(server, "/inv"));

    assertThat(body).asString(UTF_8).isEqualTo("[]");
    assertThat(server.lastRequestHeader("Authorization")).isEqualTo(basic("inv@user:p:ss"));
  }

  @Test
  void neverShowsThePasswordOrAQueryValueInAnError() {
    server.respond(403, "no");
    URI uri = withSecrets(server, "/inv");

    assertThatThrownBy(() -> fetcher(FetchAuth.NONE).fetch(uri))
        .isInstanceOf(FetchException.class)
        .hasMessage(
            "GET http://"
                + uri.getRawAuthority().substring(uri.getRawAuthority().indexOf('@') + 1)
                + "/inv?token=***&x=***: HTTP 403")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("p%3Ass", "t0ps3cret"));
  }

  @Test
  void readsTheBearerTokenFileAtEachFetch() throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "first\n");
    BoundedFetcher fetcher =
        fetcher(
            new FetchAuth(
                Optional.empty(), Optional.empty(), Optional.of(token), Optional.empty(), false));

    fetcher.fetch(server.uri("/"));
    assertThat(server.lastRequestHeader("Authorization")).isEqualTo("Bearer first");

    Files.writeString(token, "second");
    fetcher.fetch(server.uri("/"));
    assertThat(server.lastRequestHeader("Authorization")).isEqualTo("Bearer second");
  }

  @Test
  void sendsTheUserWithThePasswordFile() throws Exception {
    Path password = Files.writeString(dir.resolve("password"), "from-file\n");

    fetcher(
            new FetchAuth(
                Optional.of("svc"),
                Optional.of(password),
                Optional.empty(),
                Optional.empty(),
                false))
        .fetch(server.uri("/"));

    assertThat(server.lastRequestHeader("Authorization")).isEqualTo(basic("svc:from-file"));
  }

  @Test
  void followsARedirectOnTheSameOriginWithTheCredentials() throws Exception {
    server.respondWith(
        exchange -> {
          if (exchange.getRequestURI().getPath().equals("/old")) {
            exchange.getResponseHeaders().set("Location", "/new");
            exchange.sendResponseHeaders(302, -1);
            return;
          }
          byte[] body = "moved".getBytes(UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
        });

    byte[] body = fetcher(FetchAuth.NONE).fetch(withSecrets(server, "/old"));

    assertThat(body).asString(UTF_8).isEqualTo("moved");
    assertThat(server.requests()).isEqualTo(2);
    assertThat(server.lastRequestHeader("Authorization")).isEqualTo(basic("inv@user:p:ss"));
  }

  @Test
  void refusesARedirectToAnotherHostUnlessAllowedAndThenDropsTheCredentials() throws Exception {
    other.respond(200, "elsewhere");
    server.respondWith(
        exchange -> {
          exchange.getResponseHeaders().set("Location", other.uri("/x?key=abc").toString());
          exchange.sendResponseHeaders(301, -1);
        });
    URI uri = withSecrets(server, "/old");

    assertThatThrownBy(() -> fetcher(FetchAuth.NONE).fetch(uri))
        .isInstanceOf(FetchException.class)
        .hasMessageContaining("redirect to another scheme, host or port refused")
        .hasMessageContaining("/x?key=***")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("abc", "p%3Ass"));
    assertThat(other.requests()).isZero();

    FetchAuth allowing =
        new FetchAuth(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), true);
    assertThat(fetcher(allowing).fetch(uri)).asString(UTF_8).isEqualTo("elsewhere");
    assertThat(other.lastRequestHeader("Authorization")).isNull();
  }

  @Test
  void namesAnUnreadableTokenFileButNeverItsContent() {
    Path missing = dir.resolve("missing-token");
    BoundedFetcher fetcher =
        fetcher(
            new FetchAuth(
                Optional.empty(), Optional.empty(), Optional.of(missing), Optional.empty(), false));

    assertThatThrownBy(() -> fetcher.fetch(server.uri("/")))
        .isInstanceOf(FetchException.class)
        .hasMessageStartingWith("cannot read the bearer token file " + missing);
  }
}
