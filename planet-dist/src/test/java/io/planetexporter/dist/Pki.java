package io.planetexporter.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A CA, a server certificate for {@code 127.0.0.1}/{@code localhost} and a client certificate, made
 * by the openssl command into a directory: {@code ca.crt}, {@code server.crt}, {@code server.key}
 * (EC, SEC1 {@code EC PRIVATE KEY}), {@code client.crt}, {@code client.key} (RSA, PKCS#8).
 */
final class Pki {

  private Pki() {}

  static void create(Path dir) throws IOException {
    Files.writeString(
        dir.resolve("server.ext"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
    Files.writeString(dir.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
    Command.ok(
        dir,
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
        "-days",
        "2",
        "-subj",
        "/CN=planet-test-ca");
    Command.ok(
        dir,
        "openssl",
        "ecparam",
        "-name",
        "prime256v1",
        "-genkey",
        "-noout",
        "-out",
        "server.key");
    sign(dir, "server", "/CN=localhost");
    Command.ok(
        dir,
        "openssl",
        "genpkey",
        "-algorithm",
        "RSA",
        "-pkeyopt",
        "rsa_keygen_bits:2048",
        "-out",
        "client.key");
    sign(dir, "client", "/CN=prometheus");
  }

  private static void sign(Path dir, String name, String subject) {
    Command.ok(
        dir,
        "openssl",
        "req",
        "-new",
        "-key",
        name + ".key",
        "-out",
        name + ".csr",
        "-subj",
        subject);
    Command.ok(
        dir,
        "openssl",
        "x509",
        "-req",
        "-in",
        name + ".csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-out",
        name + ".crt",
        "-extfile",
        name + ".ext");
  }

  /** Copies what a client needs (CA, client certificate and key) into {@code target}. */
  static void copyClientFiles(Path dir, Path target) throws IOException {
    for (String file : new String[] {"ca.crt", "client.crt", "client.key"}) {
      Files.copy(dir.resolve(file), target.resolve(file));
    }
  }

  static void delete(Path dir) throws IOException {
    if (dir == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }
}
