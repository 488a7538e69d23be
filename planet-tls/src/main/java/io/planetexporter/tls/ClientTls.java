package io.planetexporter.tls;

import io.planetexporter.api.ConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS context of an https client with its own CA and client certificate, from PEM files: the
 * fetching tasks' (planet-fetch) and any other client of the project's.
 */
public final class ClientTls {

  /**
   * How errors name the three files and the client.
   *
   * @param caFile the option of the CA file, e.g. {@code tls-ca-file}
   * @param certFile the option of the client certificate file
   * @param keyFile the option of the client key file
   * @param client what the context is for, e.g. {@code the fetch}
   */
  public record Names(String caFile, String certFile, String keyFile, String client) {}

  private static final char[] NO_PASSWORD = new char[0];

  private ClientTls() {}

  /**
   * Empty when none of the three is given (the JVM's trust store, no client certificate).
   *
   * @throws ConfigurationException naming the option when a file cannot be read, the certificate
   *     comes without its key, or the key is not the certificate's
   */
  public static Optional<SSLContext> context(
      Optional<Path> caFile, Optional<Path> certFile, Optional<Path> keyFile, Names names)
      throws ConfigurationException {
    if (caFile.isEmpty() && certFile.isEmpty() && keyFile.isEmpty()) {
      return Optional.empty();
    }
    if (certFile.isPresent() != keyFile.isPresent()) {
      throw new ConfigurationException(
          names.certFile() + " and " + names.keyFile() + ": give both or neither");
    }
    try {
      TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
      if (caFile.isPresent()) {
        KeyStore store = emptyStore();
        int i = 0;
        for (X509Certificate ca : read(names.caFile(), caFile.get(), Pem::certificates)) {
          store.setCertificateEntry("ca-" + i++, ca);
        }
        trust.init(store);
      } else {
        trust.init((KeyStore) null);
      }
      KeyManagerFactory keys = null;
      if (certFile.isPresent()) {
        List<X509Certificate> chain = read(names.certFile(), certFile.get(), Pem::certificates);
        PrivateKey key = read(names.keyFile(), keyFile.orElseThrow(), Pem::privateKey);
        if (!Pem.matches(key, chain.get(0))) {
          throw new ConfigurationException(
              names.keyFile() + ": the key does not match " + certFile.get());
        }
        KeyStore store = emptyStore();
        store.setKeyEntry("client", key, NO_PASSWORD, chain.toArray(new X509Certificate[0]));
        keys = KeyManagerFactory.getInstance("SunX509");
        keys.init(store, NO_PASSWORD);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
      return Optional.of(context);
    } catch (GeneralSecurityException | IOException e) {
      throw new ConfigurationException(
          "cannot set up TLS for " + names.client() + ": " + e.getMessage(), e);
    }
  }

  private interface PemRead<T> {
    T read(String pem) throws IOException;
  }

  private static <T> T read(String option, Path file, PemRead<T> reader)
      throws ConfigurationException {
    try {
      return reader.read(Files.readString(file));
    } catch (IOException e) {
      throw new ConfigurationException(option + ": " + file + ": " + e.getMessage(), e);
    }
  }

  private static KeyStore emptyStore() throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    return store;
  }
}
