package io.planetexporter.web;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which endpoint answers which path: exact paths, then path prefixes. Only GET and HEAD reach an
 * endpoint; another method on a served path is 405 with {@code Allow}, any other path 404.
 */
public final class Routes implements Endpoint {

  private static final WebResponse NOT_FOUND = WebResponse.text(404, "404 page not found\n");

  private final Map<String, Endpoint> exact;
  private final Map<String, Endpoint> prefixes;

  private Routes(Map<String, Endpoint> exact, Map<String, Endpoint> prefixes) {
    this.exact = Map.copyOf(exact);
    this.prefixes = Map.copyOf(prefixes);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public WebResponse answer(WebRequest request) throws IOException {
    Endpoint endpoint = exact.get(request.path());
    if (endpoint == null) {
      endpoint =
          prefixes.entrySet().stream()
              .filter(prefix -> request.path().startsWith(prefix.getKey()))
              .map(Map.Entry::getValue)
              .findFirst()
              .orElse(null);
    }
    if (endpoint == null) {
      return NOT_FOUND;
    }
    if (!request.method().equals("GET") && !request.isHead()) {
      return WebResponse.text(405, "method not allowed\n").with("Allow", "GET, HEAD");
    }
    return endpoint.answer(request);
  }

  /** Collects the routes. */
  public static final class Builder {

    private final Map<String, Endpoint> exact = new LinkedHashMap<>();
    private final Map<String, Endpoint> prefixes = new LinkedHashMap<>();

    private Builder() {}

    /** {@code path} and nothing longer: {@code /metricsx} is not {@code /metrics}. */
    public Builder exact(String path, Endpoint endpoint) {
      exact.put(path, endpoint);
      return this;
    }

    /** Every path that starts with {@code prefix}; prefixes must not overlap. */
    public Builder prefix(String prefix, Endpoint endpoint) {
      prefixes.put(prefix, endpoint);
      return this;
    }

    public Routes build() {
      return new Routes(exact, prefixes);
    }
  }
}
