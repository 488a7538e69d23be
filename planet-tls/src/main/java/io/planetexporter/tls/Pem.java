package io.planetexporter.tls;

import java.io.IOException;
import java.io.StringReader;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Certificates and private keys from PEM text, parsed by BouncyCastle, for the server's TLS and the
 * tasks' outbound mTLS: RSA and EC keys in PKCS#1 ({@code BEGIN RSA PRIVATE KEY}, {@code BEGIN EC
 * PRIVATE KEY}) or PKCS#8 ({@code BEGIN PRIVATE KEY}); an encrypted key is refused (the toolkit
 * cannot read one either).
 */
public final class Pem {

  private Pem() {}

  /** Every certificate in the text, in order; at least one. */
  public static List<X509Certificate> certificates(String pem) throws IOException {
    List<X509Certificate> certificates = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
        if (object instanceof X509CertificateHolder holder) {
          certificates.add(converter.getCertificate(holder));
        }
      }
    } catch (CertificateException e) {
      throw new IOException("bad certificate: " + e.getMessage(), e);
    }
    if (certificates.isEmpty()) {
      throw new IOException("no PEM certificate in it");
    }
    return certificates;
  }

  /** The first private key in the text. */
  public static PrivateKey privateKey(String pem) throws IOException {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
        if (object instanceof PEMKeyPair pair) {
          return converter.getPrivateKey(pair.getPrivateKeyInfo());
        }
        if (object instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
        if (object instanceof PEMEncryptedKeyPair
            || object instanceof PKCS8EncryptedPrivateKeyInfo) {
          throw new IOException("the private key is encrypted; give it unencrypted");
        }
      }
    } catch (PEMException e) {
      throw new IOException("bad private key: " + e.getMessage(), e);
    }
    throw new IOException("no PEM private key in it");
  }

  /** Whether the key is the private half of the certificate's public key: it signs, they verify. */
  public static boolean matches(PrivateKey key, X509Certificate certificate) {
    PublicKey publicKey = certificate.getPublicKey();
    if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
      return false;
    }
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          default -> key.getAlgorithm(); // EdDSA, Ed25519, Ed448 sign without a digest name
        };
    try {
      byte[] data = new byte[32];
      new SecureRandom().nextBytes(data);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(data);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(data);
      return verifier.verify(signature);
    } catch (java.security.GeneralSecurityException e) {
      return false;
    }
  }
}
