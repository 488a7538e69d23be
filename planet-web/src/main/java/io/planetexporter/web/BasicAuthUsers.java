package io.planetexporter.web;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.hash.HashCode;
import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import io.planetexporter.api.ConfigurationException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * {@code basic_auth_users}: user to bcrypt hash ({@code $2a$}, {@code $2b$} or {@code $2y$}, as
 * {@code htpasswd -B} writes), checked by BouncyCastle.
 *
 * <p>An unknown user costs what a wrong password costs: their password is checked against a
 * configured hash (of the same cost) and refused whatever the result. A success is remembered for a
 * while under a SHA-256 of the user, the password and the stored hash, each length-prefixed, so
 * that an entry can only ever stand for that exact user with that exact password (the toolkit's
 * CVE-2022-46146 came from a cache key that left one of them out).
 */
final class BasicAuthUsers {

  private static final Pattern BCRYPT =
      Pattern.compile("\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}");

  private final Map<String, String> hashes;
  private final String decoy;
  private final Cache<HashCode, Boolean> verified =
      CacheBuilder.newBuilder().maximumSize(1024).expireAfterWrite(Duration.ofMinutes(5)).build();

  private BasicAuthUsers(Map<String, String> hashes) {
    this.hashes = hashes;
    this.decoy = hashes.values().iterator().next();
  }

  /**
   * @throws ConfigurationException naming the user whose hash is not bcrypt
   */
  static BasicAuthUsers of(Map<String, String> users) throws ConfigurationException {
    if (users.isEmpty()) {
      throw new IllegalArgumentException("no users");
    }
    Map<String, String> hashes = new TreeMap<>();
    for (Map.Entry<String, String> user : users.entrySet()) {
      String hash = user.getValue() == null ? "" : user.getValue().trim();
      if (!BCRYPT.matcher(hash).matches()) {
        throw new ConfigurationException(
            "-web.config.file: basic_auth_users."
                + user.getKey()
                + ": not a bcrypt hash ($2a$, $2b$ or $2y$ with cost 04 to 31; make one with"
                + " htpasswd -nbB)");
      }
      if (user.getKey().contains(":")) {
        throw new ConfigurationException(
            "-web.config.file: basic_auth_users." + user.getKey() + ": a user name has no ':'");
      }
      hashes.put(user.getKey(), hash);
    }
    return new BasicAuthUsers(Map.copyOf(hashes));
  }

  /** Whether the password is the user's. */
  boolean check(String user, String password) {
    String stored = hashes.get(user);
    String hash = stored == null ? decoy : stored;
    HashCode key = key(user, password, hash);
    if (stored != null && verified.getIfPresent(key) != null) {
      return true;
    }
    boolean matches;
    try {
      matches = OpenBSDBCrypt.checkPassword(hash, password.toCharArray());
    } catch (IllegalArgumentException e) {
      matches = false; // a password bcrypt cannot take (over 72 bytes)
    }
    if (matches && stored != null) {
      verified.put(key, Boolean.TRUE);
      return true;
    }
    return false;
  }

  private static HashCode key(String user, String password, String hash) {
    Hasher hasher = Hashing.sha256().newHasher();
    for (String part : new String[] {user, password, hash}) {
      byte[] bytes = part.getBytes(UTF_8);
      hasher.putInt(bytes.length).putBytes(bytes);
    }
    return hasher.hash();
  }
}
