package io.planetexporter.tls;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * How client certificates are judged: against the {@code client_ca} (re-read when its file changes,
 * as the server's certificate), or not at all for {@code RequestClientCert} and {@code
 * RequireAnyClientCert}; then, with {@code client_allowed_sans}, one of the certificate's subject
 * alternative names must be in the list, else the handshake fails.
 */
public final class ClientTrust extends X509ExtendedTrustManager {

  private static final long CHECK_NANOS = 1_000_000_000L;

  private record Loaded(String stamp, X509ExtendedTrustManager manager) {}

  private final Optional<PemSource> ca;
  private final List<String> allowedSans;
  private volatile Loaded current;
  private volatile long nextCheckNanos;

  private ClientTrust(Optional<PemSource> ca, List<String> allowedSans, Loaded current) {
    this.ca = ca;
    this.allowedSans = List.copyOf(allowedSans);
    this.current = current;
  }

  /**
   * @param ca the CA to verify against, empty to accept any certificate
   * @throws IOException naming the key when the CA cannot be read
   */
  public static ClientTrust of(Optional<PemSource> ca, List<String> allowedSans)
      throws IOException {
    return new ClientTrust(ca, allowedSans, ca.isPresent() ? read(ca.get()) : null);
  }

  private static Loaded read(PemSource ca) throws IOException {
    String stamp = ca.stamp();
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      int i = 0;
      for (X509Certificate certificate : Pem.certificates(ca.text())) {
        store.setCertificateEntry("ca-" + i++, certificate);
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
      factory.init(store);
      return new Loaded(stamp, (X509ExtendedTrustManager) factory.getTrustManagers()[0]);
    } catch (IOException | GeneralSecurityException e) {
      throw new IOException(ca.describe() + ": " + e.getMessage(), e);
    }
  }

  private Optional<X509ExtendedTrustManager> manager() {
    if (ca.isEmpty()) {
      return Optional.empty();
    }
    long now = System.nanoTime();
    if (now - nextCheckNanos >= 0) {
      synchronized (this) {
        if (now - nextCheckNanos >= 0) {
          nextCheckNanos = now + CHECK_NANOS;
          if (!ca.get().stamp().equals(current.stamp())) {
            try {
              current = read(ca.get());
            } catch (IOException ignored) {
              // keep the CA in force; a half-written file is read again once it changes
              current = new Loaded(ca.get().stamp(), current.manager());
            }
          }
        }
      }
    }
    return Optional.of(current.manager());
  }

  /** A check of the CA's trust manager, one of its three overloads. */
  @FunctionalInterface
  private interface CaCheck {
    void check(X509ExtendedTrustManager manager) throws CertificateException;
  }

  private void check(X509Certificate[] chain, CaCheck caCheck) throws CertificateException {
    Optional<X509ExtendedTrustManager> manager = manager();
    if (manager.isPresent()) {
      caCheck.check(manager.get());
    }
    checkSans(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain, m -> m.checkClientTrusted(chain, authType, socket));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain, m -> m.checkClientTrusted(chain, authType, engine));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    check(chain, m -> m.checkClientTrusted(chain, authType));
  }

  private void checkSans(X509Certificate[] chain) throws CertificateException {
    if (allowedSans.isEmpty()) {
      return;
    }
    if (chain == null || chain.length == 0) {
      throw new CertificateException("no client certificate to match client_allowed_sans");
    }
    try {
      Collection<List<?>> names = chain[0].getSubjectAlternativeNames();
      if (names != null) {
        for (List<?> name : names) {
          if (name.size() > 1 && allowedSans.contains(String.valueOf(name.get(1)))) {
            return;
          }
        }
      }
    } catch (CertificateParsingException e) {
      throw new CertificateException("client certificate: " + e.getMessage(), e);
    }
    throw new CertificateException("client certificate has none of client_allowed_sans");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    throw new CertificateException("a server's trust is not for checking servers");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    throw new CertificateException("a server's trust is not for checking servers");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("a server's trust is not for checking servers");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return manager()
        .map(X509ExtendedTrustManager::getAcceptedIssuers)
        .orElse(new X509Certificate[0]);
  }
}
