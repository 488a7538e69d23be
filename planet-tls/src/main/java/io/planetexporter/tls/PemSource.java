package io.planetexporter.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * Where PEM text comes from: a file, re-read when it changes, or text inline in the web config.
 *
 * @param key the web config key, for messages ({@code tls_server_config.cert_file})
 * @param file the file, empty for inline text
 * @param inline the inline text, empty for a file
 */
public record PemSource(String key, Optional<Path> file, String inline) {

  public static PemSource file(String key, Path file) {
    return new PemSource(key, Optional.of(file), "");
  }

  public static PemSource inline(String key, String text) {
    return new PemSource(key, Optional.empty(), text);
  }

  public String text() throws IOException {
    return file.isPresent() ? Files.readString(file.get()) : inline;
  }

  /**
   * What changes when the file is replaced or rewritten: its modification time, size and inode (a
   * rename over it, as cert-manager and certbot do); constant for inline text.
   */
  public String stamp() {
    if (file.isEmpty()) {
      return "";
    }
    try {
      BasicFileAttributes attributes = Files.readAttributes(file.get(), BasicFileAttributes.class);
      return attributes.lastModifiedTime() + "/" + attributes.size() + "/" + attributes.fileKey();
    } catch (IOException e) {
      return "unreadable";
    }
  }

  /** {@code key (path)} for a file, {@code key} for inline text. */
  public String describe() {
    return file.map(f -> key + " (" + f + ")").orElse(key);
  }
}
