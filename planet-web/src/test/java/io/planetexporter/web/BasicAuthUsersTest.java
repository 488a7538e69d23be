package io.planetexporter.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planetexporter.api.ConfigurationException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BasicAuthUsersTest {

  private static final byte[] SALT = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private static String hash(String version, String password) {
    return OpenBSDBCrypt.generate(version, password.toCharArray(), SALT, 4);
  }

  @ParameterizedTest
  @ValueSource(strings = {"2a", "2b", "2y"})
  void acceptsTheRightPasswordForEachBcryptVersion(String version) throws Exception {
    BasicAuthUsers users = BasicAuthUsers.of(Map.of("prometheus", hash(version, "s3cret")));

    assertThat(users.check("prometheus", "s3cret")).isTrue();
    assertThat(users.check("prometheus", "s3cret")).isTrue(); // from the cache
    assertThat(users.check("prometheus", "wrong")).isFalse();
    assertThat(users.check("prometheus", "")).isFalse();
  }

  @Test
  void refusesAnUnknownUserEvenWithAnotherUsersPassword() throws Exception {
    BasicAuthUsers users = BasicAuthUsers.of(Map.of("alice", hash("2y", "alice-pw")));

    assertThat(users.check("alice", "alice-pw")).isTrue();
    assertThat(users.check("mallory", "alice-pw")).isFalse();
  }

  @Test
  void neverLetsACachedSuccessStandForAnotherUserWithTheSamePassword() throws Exception {
    // Both users have the same password but different hashes: a success for one must not open
    // the other when its password differs, nor a success cached under a user open another user.
    BasicAuthUsers users =
        BasicAuthUsers.of(Map.of("alice", hash("2y", "shared"), "bob", hash("2y", "bobs")));

    assertThat(users.check("alice", "shared")).isTrue();
    assertThat(users.check("bob", "shared")).isFalse();
    assertThat(users.check("bob", "bobs")).isTrue();
    assertThat(users.check("alice", "bobs")).isFalse();
  }

  @Test
  void refusesAPasswordTooLongForBcryptWithoutFailing() throws Exception {
    BasicAuthUsers users = BasicAuthUsers.of(Map.of("alice", hash("2y", "pw")));

    assertThat(users.check("alice", "x".repeat(200))).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "plain",
        "$1$abc$def",
        "$2y$10$short",
        "$2x$10$abcdefghijklmnopqrstuvabcdefghijklmnopqrstuvwxyz01234"
      })
  void refusesAHashThatIsNotBcryptNamingTheUser(String hash) {
    assertThatThrownBy(() -> BasicAuthUsers.of(Map.of("alice", hash)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("basic_auth_users.alice: not a bcrypt hash");
  }
}
