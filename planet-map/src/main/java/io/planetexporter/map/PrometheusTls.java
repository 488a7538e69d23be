package io.planetexporter.map;

import static java.util.Objects.requireNonNull;

import io.planetexporter.api.ConfigurationException;
import io.planetexporter.tls.ClientTls;
import io.planetexporter.tls.PemSource;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;

/**
 * The CA and client certificate planet-map trusts and presents to an https Prometheus ({@code
 * -prometheus-tls-ca-file}, {@code -prometheus-tls-cert-file}, {@code -prometheus-tls-key-file}).
 *
 * @param caFile PEM CA(s) to trust instead of the JVM's trust store
 * @param certFile PEM client certificate, with {@code keyFile}
 * @param keyFile PEM private key of {@code certFile}
 */
record PrometheusTls(Optional<Path> caFile, Optional<Path> certFile, Optional<Path> keyFile) {

  static final String CA_FLAG = "-prometheus-tls-ca-file";
  static final String CERT_FLAG = "-prometheus-tls-cert-file";
  static final String KEY_FLAG = "-prometheus-tls-key-file";

  /** The JVM's trust store, no client certificate. */
  static final PrometheusTls NONE =
      new PrometheusTls(Optional.empty(), Optional.empty(), Optional.empty());

  private static final ClientTls.Names NAMES =
      new ClientTls.Names(CA_FLAG, CERT_FLAG, KEY_FLAG, "Prometheus");

  PrometheusTls {
    requireNonNull(caFile, "caFile");
    requireNonNull(certFile, "certFile");
    requireNonNull(keyFile, "keyFile");
  }

  boolean isEmpty() {
    return caFile.isEmpty() && certFile.isEmpty() && keyFile.isEmpty();
  }

  /**
   * The context the files make now (empty without files: the JVM's).
   *
   * @throws ConfigurationException naming the flag of a file that cannot be read or does not fit
   */
  Optional<SSLContext> context() throws ConfigurationException {
    return ClientTls.context(caFile, certFile, keyFile, NAMES);
  }

  /** What changes when one of the files is rewritten or replaced ({@link PemSource#stamp}). */
  String stamp() {
    return Stream.of(
            caFile.map(file -> PemSource.file(CA_FLAG, file)),
            certFile.map(file -> PemSource.file(CERT_FLAG, file)),
            keyFile.map(file -> PemSource.file(KEY_FLAG, file)))
        .flatMap(Optional::stream)
        .map(PemSource::stamp)
        .collect(Collectors.joining("|"));
  }
}
