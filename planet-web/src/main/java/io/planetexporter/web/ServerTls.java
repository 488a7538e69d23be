package io.planetexporter.web;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.tls.ClientTrust;
import io.planetexporter.tls.PemSource;
import io.planetexporter.tls.ReloadingKeyManager;
import io.planetexporter.web.WebConfigFile.TlsServerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The server side of TLS from {@code tls_server_config}, with the exporter-toolkit's meaning of
 * each key. What Java 17 cannot do per server: {@code curve_preferences} is applied to the whole
 * JVM (outbound connections included) through {@code jdk.tls.namedGroups}; TLS 1.3 cipher suites
 * are not configurable (as in Go); {@code TLS10} and {@code TLS11} are accepted but the JDK
 * disables those protocols unless its security properties are changed.
 */
final class ServerTls {

  /** Go's {@code tls.ClientAuthType} names, as the toolkit reads them. */
  enum ClientAuth {
    NoClientCert(false, false, false),
    RequestClientCert(true, false, false),
    RequireAnyClientCert(false, true, false),
    VerifyClientCertIfGiven(true, false, true),
    RequireAndVerifyClientCert(false, true, true);

    final boolean want;
    final boolean need;
    final boolean verify;

    ClientAuth(boolean want, boolean need, boolean verify) {
      this.want = want;
      this.need = need;
      this.verify = verify;
    }
  }

  private static final List<String> VERSIONS = List.of("TLS10", "TLS11", "TLS12", "TLS13");
  private static final List<String> PROTOCOLS = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");
  private static final Map<String, String> CURVES =
      Map.of(
          "CurveP256", "secp256r1",
          "CurveP384", "secp384r1",
          "CurveP521", "secp521r1",
          "X25519", "x25519");

  private final SSLContext context;
  private final ClientAuth clientAuth;
  private final String[] protocols;
  private final Optional<String[]> cipherSuites;
  private final boolean serverCipherOrder;

  private ServerTls(
      SSLContext context,
      ClientAuth clientAuth,
      String[] protocols,
      Optional<String[]> cipherSuites,
      boolean serverCipherOrder) {
    this.context = context;
    this.clientAuth = clientAuth;
    this.protocols = protocols;
    this.cipherSuites = cipherSuites;
    this.serverCipherOrder = serverCipherOrder;
  }

  /**
   * Reads the certificates and checks every key.
   *
   * @param dir relative paths are relative to it (the web config file's directory, as the toolkit)
   * @throws ConfigurationException naming the key and the problem
   */
  static ServerTls of(TlsServerConfig config, Path dir) throws ConfigurationException {
    PemSource cert = source(dir, "cert", config.cert(), "cert_file", config.certFile(), true);
    PemSource key = source(dir, "key", config.key(), "key_file", config.keyFile(), true);
    ClientAuth clientAuth = clientAuth(config.clientAuthType());
    PemSource ca =
        source(dir, "client_ca", config.clientCa(), "client_ca_file", config.clientCaFile(), false);
    if (ca != null && clientAuth == ClientAuth.NoClientCert) {
      throw error("client_ca_file", "a client CA is given but client_auth_type is NoClientCert");
    }
    if (ca == null && clientAuth.verify) {
      throw error("client_ca_file", "required with client_auth_type " + clientAuth);
    }
    List<String> sans = config.clientAllowedSans() == null ? List.of() : config.clientAllowedSans();
    if (!sans.isEmpty() && !clientAuth.need) {
      throw error(
          "client_allowed_sans",
          "needs client_auth_type RequireAnyClientCert or RequireAndVerifyClientCert");
    }
    String[] protocols = protocols(config.minVersion(), config.maxVersion());
    applyCurves(config.curvePreferences());
    try {
      KeyManager keys = ReloadingKeyManager.load(cert, key);
      TrustManager trust = ClientTrust.of(Optional.ofNullable(ca), sans);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[] {keys}, new TrustManager[] {trust}, null);
      Optional<String[]> suites = cipherSuites(context, config.cipherSuites());
      boolean order =
          config.preferServerCipherSuites() == null || config.preferServerCipherSuites();
      return new ServerTls(context, clientAuth, protocols, suites, order);
    } catch (IOException e) {
      throw new ConfigurationException(prefix() + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new ConfigurationException(prefix() + "cannot set up TLS: " + e.getMessage(), e);
    }
  }

  /**
   * Jetty's factory of each connection's engine, over this context (so the reloading key manager
   * and the client trust stay) and with exactly these parameters: Jetty's own defaults (its
   * excluded suites and protocols, its SNI checks) would change what the file means.
   */
  SslContextFactory.Server sslContextFactory() {
    SslContextFactory.Server factory =
        new SslContextFactory.Server() {
          @Override
          public void customize(SSLEngine engine) {
            engine.setSSLParameters(parameters());
          }

          // Jetty warns at start about the suites and protocols of its own lists, which customize
          // replaces; what is enabled is the file's choice, as with the toolkit.
          @Override
          protected void checkCiphers(SSLParameters supported) {}

          @Override
          protected void checkProtocols(SSLParameters supported) {}
        };
    factory.setSslContext(context);
    return factory;
  }

  private SSLParameters parameters() {
    SSLParameters parameters = context.getDefaultSSLParameters();
    parameters.setProtocols(protocols);
    cipherSuites.ifPresent(parameters::setCipherSuites);
    parameters.setUseCipherSuitesOrder(serverCipherOrder);
    if (clientAuth.need) {
      parameters.setNeedClientAuth(true);
    } else {
      parameters.setWantClientAuth(clientAuth.want);
    }
    return parameters;
  }

  private static PemSource source(
      Path dir, String inlineKey, String inline, String fileKey, String file, boolean required)
      throws ConfigurationException {
    boolean hasInline = inline != null && !inline.isBlank();
    boolean hasFile = file != null && !file.isBlank();
    if (hasInline && hasFile) {
      throw error(fileKey, "give " + inlineKey + " or " + fileKey + ", not both");
    }
    if (hasInline) {
      return PemSource.inline("tls_server_config." + inlineKey, inline);
    }
    if (hasFile) {
      return PemSource.file("tls_server_config." + fileKey, dir.resolve(file));
    }
    if (required) {
      throw error(fileKey, "required (or " + inlineKey + " inline)");
    }
    return null;
  }

  private static ClientAuth clientAuth(String name) throws ConfigurationException {
    if (name == null || name.isEmpty()) {
      return ClientAuth.NoClientCert;
    }
    try {
      return ClientAuth.valueOf(name);
    } catch (IllegalArgumentException e) {
      throw error(
          "client_auth_type",
          "unknown value \""
              + name
              + "\" (want one of "
              + Arrays.toString(ClientAuth.values())
              + ")");
    }
  }

  private static String[] protocols(String min, String max) throws ConfigurationException {
    int from = version("min_version", min, "TLS12");
    int to = version("max_version", max, "TLS13");
    if (from > to) {
      throw error("min_version", min + " is above max_version " + max);
    }
    return PROTOCOLS.subList(from, to + 1).toArray(new String[0]);
  }

  private static int version(String key, String name, String fallback)
      throws ConfigurationException {
    String value = name == null || name.isEmpty() ? fallback : name;
    int index = VERSIONS.indexOf(value);
    if (index < 0) {
      throw error(key, "unknown version \"" + value + "\" (want TLS10, TLS11, TLS12 or TLS13)");
    }
    return index;
  }

  /**
   * The suites by their Go names, which are the IANA names Java uses (Go's {@code
   * ..._CHACHA20_POLY1305} lacks the {@code _SHA256} suffix), plus Java's enabled TLS 1.3 suites:
   * Go does not let {@code cipher_suites} restrict TLS 1.3 either.
   */
  private static Optional<String[]> cipherSuites(SSLContext context, List<String> names)
      throws ConfigurationException {
    if (names == null || names.isEmpty()) {
      return Optional.empty();
    }
    Set<String> supported = Set.of(context.getSupportedSSLParameters().getCipherSuites());
    Set<String> suites = new LinkedHashSet<>();
    for (String name : names) {
      if (supported.contains(name)) {
        suites.add(name);
      } else if (supported.contains(name + "_SHA256")) {
        suites.add(name + "_SHA256");
      } else {
        throw error("cipher_suites", "\"" + name + "\" is not supported by this Java runtime");
      }
    }
    for (String suite : context.getDefaultSSLParameters().getCipherSuites()) {
      if (suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_")) {
        suites.add(suite);
      }
    }
    return Optional.of(suites.toArray(new String[0]));
  }

  private static void applyCurves(List<String> names) throws ConfigurationException {
    if (names == null || names.isEmpty()) {
      return;
    }
    List<String> groups = new ArrayList<>();
    for (String name : names) {
      String group = CURVES.get(name);
      if (group == null) {
        throw error(
            "curve_preferences",
            "\""
                + name
                + "\" is not supported by Java 17 (want CurveP256, CurveP384, CurveP521 or X25519)");
      }
      groups.add(group);
    }
    // Java 17 reads the named groups once, JVM-wide; set before the first handshake.
    System.setProperty("jdk.tls.namedGroups", String.join(",", groups));
  }

  private static String prefix() {
    return "-web.config.file: ";
  }

  private static ConfigurationException error(String key, String problem) {
    return new ConfigurationException(prefix() + "tls_server_config." + key + ": " + problem);
  }
}
