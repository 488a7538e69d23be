package io.planetexporter.web;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/** Lets a request through only with the basic-auth credentials of a configured user; else 401. */
final class BasicAuthFilter extends Filter {

  private final BasicAuthUsers users;

  BasicAuthFilter(BasicAuthUsers users) {
    this.users = users;
  }

  @Override
  public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
    if (authenticated(exchange.getRequestHeaders().getFirst("Authorization"))) {
      chain.doFilter(exchange);
      return;
    }
    exchange
        .getResponseHeaders()
        .set("WWW-Authenticate", "Basic realm=\"planet-exporter\", charset=\"UTF-8\"");
    Responses.text(exchange, 401, "Unauthorized\n");
  }

  private boolean authenticated(String header) {
    if (header == null || !header.toLowerCase(Locale.ROOT).startsWith("basic ")) {
      return false;
    }
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(header.substring("basic ".length()).trim()),
              StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return false;
    }
    int colon = decoded.indexOf(':');
    return colon >= 0 && users.check(decoded.substring(0, colon), decoded.substring(colon + 1));
  }

  @Override
  public String description() {
    return "basic auth";
  }
}
