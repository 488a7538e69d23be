package io.planetexporter.testfixtures;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemObjectGenerator;

/**
 * A CA and certificates it signs, made fresh for a test, written as PEM.
 *
 * <pre>{@code
 * TestPki.Issued ca = TestPki.ca("test-ca");
 * TestPki.leaf(ca, "server", TestPki.ec()).write(dir, "server", false); // server.crt, server.key
 * SSLContext client = TestPki.anonymous(ca); // trusts the CA, presents no certificate
 * }</pre>
 *
 * <p>Leaves are for {@code 127.0.0.1}, {@code localhost} and their own name.
 */
public final class TestPki {

  private static final AtomicLong serial = new AtomicLong(System.currentTimeMillis());

  /** A certificate with its key pair. */
  public record Issued(X509Certificate certificate, KeyPair keys) {

    /** Writes the certificate to {@code name.crt} and the key to {@code name.key}. */
    public Path[] write(Path dir, String name, boolean pkcs8) throws IOException {
      Path crt = dir.resolve(name + ".crt");
      Path key = dir.resolve(name + ".key");
      Files.writeString(crt, pem(certificate));
      Files.writeString(
          key, pkcs8 ? pem(new JcaPKCS8Generator(keys.getPrivate(), null)) : pkcs1(keys));
      return new Path[] {crt, key};
    }

    /** A server's TLS context presenting this certificate, then {@code chain} (e.g. its CA). */
    public SSLContext serverContext(Issued... chain) throws GeneralSecurityException, IOException {
      X509Certificate[] certificates = new X509Certificate[chain.length + 1];
      certificates[0] = certificate;
      for (int i = 0; i < chain.length; i++) {
        certificates[i + 1] = chain[i].certificate();
      }
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("server", keys.getPrivate(), new char[0], certificates);
      KeyManagerFactory factory = KeyManagerFactory.getInstance("SunX509");
      factory.init(store, new char[0]);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(factory.getKeyManagers(), null, null);
      return context;
    }

    /**
     * A client TLS context trusting {@code ca} that presents this certificate whatever issuers the
     * server names (the JDK's own key manager would send none to a server naming other CAs, hiding
     * whether the server checks a certificate it did not ask for).
     */
    public SSLContext context(Issued ca) throws GeneralSecurityException, IOException {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("me", keys.getPrivate(), new char[0], new X509Certificate[] {certificate});
      KeyManagerFactory factory = KeyManagerFactory.getInstance("SunX509");
      factory.init(store, new char[0]);
      X509ExtendedKeyManager manager = (X509ExtendedKeyManager) factory.getKeyManagers()[0];
      X509ExtendedKeyManager insisting =
          new X509ExtendedKeyManager() {
            @Override
            public String chooseEngineClientAlias(
                String[] keyType, Principal[] issuers, SSLEngine engine) {
              return "me";
            }

            @Override
            public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
              return "me";
            }

            @Override
            public String[] getClientAliases(String keyType, Principal[] issuers) {
              return new String[] {"me"};
            }

            @Override
            public String[] getServerAliases(String keyType, Principal[] issuers) {
              return manager.getServerAliases(keyType, issuers);
            }

            @Override
            public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
              return manager.chooseServerAlias(keyType, issuers, socket);
            }

            @Override
            public X509Certificate[] getCertificateChain(String alias) {
              return manager.getCertificateChain(alias);
            }

            @Override
            public PrivateKey getPrivateKey(String alias) {
              return manager.getPrivateKey(alias);
            }
          };
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[] {insisting}, trusting(ca).getTrustManagers(), null);
      return context;
    }
  }

  private TestPki() {}

  /**
   * Writes into {@code dir} a CA ({@code ca.crt}), a server certificate {@code CN=localhost} with
   * an EC key as openssl writes it ({@code server.crt}, {@code server.key}) and a client
   * certificate {@code CN=prometheus} with an RSA key in PKCS#8 ({@code client.crt}, {@code
   * client.key}), as an operator's files would be.
   *
   * @return a client context that presents {@code client.crt} and trusts {@code ca.crt}
   */
  public static SSLContext writeServerAndClient(Path dir) throws IOException {
    try {
      Issued ca = ca("planet-test-ca");
      Files.writeString(dir.resolve("ca.crt"), pem(ca.certificate()));
      leaf(ca, "localhost", ec()).write(dir, "server", false);
      Issued client = leaf(ca, "prometheus", rsa());
      client.write(dir, "client", true);
      return client.context(ca);
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("cannot make the test certificates", e);
    }
  }

  /** Copies what a client needs of {@link #writeServerAndClient} into {@code target}. */
  public static void copyClientFiles(Path dir, Path target) throws IOException {
    for (String file : new String[] {"ca.crt", "client.crt", "client.key"}) {
      Files.copy(dir.resolve(file), target.resolve(file));
    }
  }

  public static KeyPair rsa() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  public static KeyPair ec() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  public static Issued ca(String name) throws Exception {
    KeyPair keys = rsa();
    return new Issued(sign(name, keys, name, keys.getPrivate(), true), keys);
  }

  /** A leaf for {@code 127.0.0.1} and {@code localhost}, signed by {@code ca}. */
  public static Issued leaf(Issued ca, String name, KeyPair keys) throws Exception {
    String issuer = ca.certificate().getSubjectX500Principal().getName();
    return new Issued(sign(name, keys, issuer, ca.keys().getPrivate(), false), keys);
  }

  private static X509Certificate sign(
      String subject, KeyPair keys, String issuer, PrivateKey signer, boolean isCa)
      throws Exception {
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            new X500Name(issuer.contains("=") ? issuer : "CN=" + issuer),
            BigInteger.valueOf(serial.incrementAndGet()),
            Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(Duration.ofDays(2))),
            new X500Name("CN=" + subject),
            keys.getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
    if (!isCa) {
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.dNSName, subject),
                new GeneralName(
                    GeneralName.iPAddress, InetAddress.getLoopbackAddress().getHostAddress())
              }));
    }
    ContentSigner contentSigner =
        new JcaContentSignerBuilder(
                signer.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA")
            .build(signer);
    return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
  }

  public static TrustManagerFactory trusting(Issued ca)
      throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("ca", ca.certificate());
    TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
    trust.init(store);
    return trust;
  }

  /** A context that trusts {@code ca} and presents no certificate. */
  public static SSLContext anonymous(Issued ca) throws GeneralSecurityException, IOException {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trusting(ca).getTrustManagers(), null);
    return context;
  }

  /**
   * {@code RSA PRIVATE KEY} or, for EC, {@code EC PRIVATE KEY} with the curve and public key in it,
   * as openssl writes it (the JDK's own encoding leaves the curve to the PKCS#8 wrapper).
   */
  public static String pkcs1(KeyPair keys) throws IOException {
    if (!keys.getPrivate().getAlgorithm().equals("EC")) {
      return pem(keys.getPrivate());
    }
    PrivateKeyInfo info = PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
    java.security.interfaces.ECPrivateKey key =
        (java.security.interfaces.ECPrivateKey) keys.getPrivate();
    ECPrivateKey sec1 =
        new ECPrivateKey(
            key.getParams().getOrder().bitLength(),
            key.getS(),
            SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()).getPublicKeyData(),
            info.getPrivateKeyAlgorithm().getParameters());
    return pem(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
  }

  public static String pem(Object object) throws IOException {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      if (object instanceof PemObjectGenerator generator) {
        writer.writeObject(generator);
      } else {
        writer.writeObject(new JcaMiscPEMGenerator(object));
      }
    }
    return text.toString();
  }
}
