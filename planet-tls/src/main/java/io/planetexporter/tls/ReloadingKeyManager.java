package io.planetexporter.tls;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The server's certificate and key, re-read when their files change (checked at most once a second,
 * on a handshake), so a rotated certificate is served without a restart. A rotation that cannot be
 * read, or whose key does not match its certificate (say, the certificate was written and the key
 * not yet), is logged and the previous pair stays in force until the files change again.
 */
public final class ReloadingKeyManager extends X509ExtendedKeyManager {

  private static final Logger logger = Logger.getLogger(ReloadingKeyManager.class.getName());
  private static final long CHECK_NANOS = 1_000_000_000L;
  private static final char[] NO_PASSWORD = new char[0];

  // SunX509 names the entry by its alias alone, so an alias chosen just before a reload still
  // finds the chain and key in the manager after it.
  private record Loaded(String stamp, X509ExtendedKeyManager manager) {}

  private final PemSource certificate;
  private final PemSource key;
  private volatile Loaded current;
  private volatile long nextCheckNanos;

  private ReloadingKeyManager(PemSource certificate, PemSource key, Loaded current) {
    this.certificate = certificate;
    this.key = key;
    this.current = current;
    this.nextCheckNanos = System.nanoTime() + CHECK_NANOS;
  }

  /**
   * Reads the pair once.
   *
   * @throws IOException naming the web config key when a file cannot be read, holds no certificate
   *     or key, or the key is not the certificate's
   */
  public static ReloadingKeyManager load(PemSource certificate, PemSource key) throws IOException {
    return new ReloadingKeyManager(certificate, key, read(certificate, key));
  }

  private static Loaded read(PemSource certificate, PemSource key) throws IOException {
    String stamp = certificate.stamp() + "|" + key.stamp();
    List<X509Certificate> chain;
    try {
      chain = Pem.certificates(certificate.text());
    } catch (IOException e) {
      throw new IOException(certificate.describe() + ": " + e.getMessage(), e);
    }
    PrivateKey privateKey;
    try {
      privateKey = Pem.privateKey(key.text());
    } catch (IOException e) {
      throw new IOException(key.describe() + ": " + e.getMessage(), e);
    }
    if (!Pem.matches(privateKey, chain.get(0))) {
      throw new IOException(
          key.describe()
              + ": the private key does not match the certificate of "
              + certificate.describe());
    }
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("server", privateKey, NO_PASSWORD, chain.toArray(new X509Certificate[0]));
      KeyManagerFactory factory = KeyManagerFactory.getInstance("SunX509");
      factory.init(store, NO_PASSWORD);
      return new Loaded(stamp, (X509ExtendedKeyManager) factory.getKeyManagers()[0]);
    } catch (GeneralSecurityException e) {
      throw new IOException(key.describe() + ": unusable key: " + e.getMessage(), e);
    }
  }

  private X509ExtendedKeyManager manager() {
    long now = System.nanoTime();
    if (now - nextCheckNanos >= 0) {
      synchronized (this) {
        if (now - nextCheckNanos >= 0) {
          nextCheckNanos = now + CHECK_NANOS;
          reloadIfChanged();
        }
      }
    }
    return current.manager();
  }

  private void reloadIfChanged() {
    String stamp = certificate.stamp() + "|" + key.stamp();
    if (stamp.equals(current.stamp())) {
      return;
    }
    try {
      current = read(certificate, key);
      logger.log(
          Level.INFO,
          "reloaded the TLS certificate",
          new Object[] {"file", certificate.describe()});
    } catch (IOException e) {
      current = new Loaded(stamp, current.manager());
      LogRecord record =
          new LogRecord(
              Level.WARNING, "cannot reload the TLS certificate, keeping the previous one");
      record.setParameters(new Object[] {"file", certificate.describe()});
      record.setThrown(e);
      record.setLoggerName(logger.getName());
      logger.log(record);
    }
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return manager().getClientAliases(keyType, issuers);
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return manager().chooseClientAlias(keyType, issuers, socket);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return manager().getServerAliases(keyType, issuers);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return manager().chooseServerAlias(keyType, issuers, socket);
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return manager().chooseEngineServerAlias(keyType, issuers, engine);
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return current.manager().getCertificateChain(alias);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return current.manager().getPrivateKey(alias);
  }
}
