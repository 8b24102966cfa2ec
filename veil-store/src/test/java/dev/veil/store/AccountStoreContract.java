package dev.veil.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.veil.store.AccountStore.ApiToken;
import dev.veil.store.AccountStore.Session;
import dev.veil.store.AccountStore.User;
import dev.veil.store.TestEvents.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The behaviour every {@link AccountStore} backend must have. */
public abstract class AccountStoreContract {

    protected static final Instant T0 = Instant.parse("2026-11-29T00:00:00Z");

    @TempDir
    protected Path dir;

    protected final MutableClock clock = new MutableClock(T0);
    protected final MasterKey key = MasterKey.random();

    protected abstract AccountStore open(Path dir, MasterKey key, MutableClock clock);

    @Test
    void creates_updates_lists_and_deletes_users() {
        AccountStore s = open(dir, key, clock);
        User alice = s.createUser("alice", "Alice A.", "owner");
        s.createUser("bob", "Bob", "viewer");
        clock.advance(Duration.ofMinutes(1));
        User bob = s.updateUser("bob", "Bob B.", "editor", true);

        assertThat(alice.hasPassword()).isFalse();
        assertThat(alice.hasTotp()).isFalse();
        assertThat(bob.role()).isEqualTo("editor");
        assertThat(bob.disabled()).isTrue();
        assertThat(bob.updatedAt()).isEqualTo(T0.plus(Duration.ofMinutes(1)));
        assertThat(s.users()).extracting(User::username).containsExactly("alice", "bob");
        assertThatThrownBy(() -> s.createUser("alice", "Again", "viewer"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("already exists");
        assertThatThrownBy(() -> s.updateUser("carol", "C", "viewer", false))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("does not exist");

        assertThat(s.deleteUser("bob")).isTrue();
        assertThat(s.deleteUser("bob")).isFalse();
        assertThat(s.user("bob")).isEmpty();
    }

    @Test
    void keeps_password_hashes_and_sealed_totp_secrets() {
        AccountStore s = open(dir, key, clock);
        s.createUser("alice", "Alice", "owner");
        s.setPasswordHash("alice", "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA");
        byte[] secret = "0123456789abcdefghij".getBytes();
        s.setTotpSecret("alice", secret);

        AccountStore reopened = open(dir, key, clock);
        assertThat(reopened.passwordHash("alice")).contains("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA");
        assertThat(reopened.totpSecret("alice"))
                .hasValueSatisfying(b -> assertThat(b).isEqualTo(secret));
        assertThat(reopened.user("alice").orElseThrow().hasTotp()).isTrue();
        assertThatThrownBy(() -> open(dir, MasterKey.random(), clock).totpSecret("alice"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("cannot be decrypted");

        s.setTotpSecret("alice", null);
        assertThat(s.totpSecret("alice")).isEmpty();
    }

    @Test
    void accepts_each_totp_step_once_and_only_moving_forward() {
        AccountStore s = open(dir, key, clock);
        s.createUser("alice", "Alice", "owner");
        s.setTotpSecret("alice", new byte[20]);

        assertThat(s.useTotpStep("alice", 100)).isTrue();
        assertThat(s.useTotpStep("alice", 100)).isFalse();
        assertThat(s.useTotpStep("alice", 99)).isFalse();
        assertThat(s.useTotpStep("alice", 101)).isTrue();
    }

    @Test
    void uses_each_recovery_code_once() {
        AccountStore s = open(dir, key, clock);
        s.createUser("alice", "Alice", "owner");
        s.setRecoveryCodeHashes("alice", List.of("h1", "h2", "h3"));

        assertThat(s.useRecoveryCode("alice", "h2")).isTrue();
        assertThat(s.useRecoveryCode("alice", "h2")).isFalse();
        assertThat(s.useRecoveryCode("alice", "nope")).isFalse();
        assertThat(s.recoveryCodesLeft("alice")).isEqualTo(2);
    }

    @Test
    void counts_failed_logins_and_locks() {
        AccountStore s = open(dir, key, clock);
        s.createUser("alice", "Alice", "owner");

        assertThat(s.recordFailedLogin("alice", T0)).isEqualTo(1);
        assertThat(s.recordFailedLogin("alice", T0)).isEqualTo(2);
        s.lockUntil("alice", T0.plus(Duration.ofMinutes(15)));
        User locked = s.user("alice").orElseThrow();
        assertThat(locked.lockedUntil()).isEqualTo(T0.plus(Duration.ofMinutes(15)));
        assertThat(locked.failedLogins()).isZero();

        s.recordFailedLogin("alice", T0);
        s.clearFailedLogins("alice");
        assertThat(s.user("alice").orElseThrow().failedLogins()).isZero();
        assertThat(s.user("alice").orElseThrow().lockedUntil()).isNull();
    }

    @Test
    void setup_tokens_are_consumed_once_and_keep_a_sealed_totp_proposal() {
        AccountStore s = open(dir, key, clock);
        s.createUser("alice", "Alice", "owner");
        s.createSetupToken("hash-1", "alice", T0.plus(Duration.ofHours(24)));
        s.setSetupTotp("hash-1", "proposed-secret-1234".getBytes());

        assertThat(s.setupToken("hash-1").orElseThrow().username()).isEqualTo("alice");
        assertThat(s.setupTotp("hash-1"))
                .hasValueSatisfying(b -> assertThat(new String(b)).isEqualTo("proposed-secret-1234"));
        assertThat(s.consumeSetupToken("hash-1")).isTrue();
        assertThat(s.consumeSetupToken("hash-1")).isFalse();
        assertThat(s.setupToken("hash-1")).isEmpty();
    }

    @Test
    void sessions_are_touched_deleted_per_user_and_purged_when_expired() {
        AccountStore s = open(dir, key, clock);
        s.createUser("alice", "Alice", "owner");
        s.createUser("bob", "Bob", "viewer");
        s.createSession(new Session("s1", "alice", "csrf1", T0, T0, T0.plus(Duration.ofHours(12))));
        s.createSession(new Session("s2", "alice", "csrf2", T0, T0, T0.plus(Duration.ofHours(1))));
        s.createSession(new Session("s3", "bob", "csrf3", T0, T0, T0.plus(Duration.ofHours(12))));

        s.touchSession("s1", T0.plusSeconds(60));
        assertThat(s.session("s1").orElseThrow().lastSeenAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(s.purgeSessions(T0.plus(Duration.ofHours(2)))).isEqualTo(1);
        assertThat(s.session("s2")).isEmpty();
        assertThat(s.deleteSessionsOf("alice")).isEqualTo(1);
        assertThat(s.session("s1")).isEmpty();
        assertThat(s.deleteSession("s3")).isTrue();
        assertThat(s.deleteSession("s3")).isFalse();
    }

    @Test
    void deleting_a_user_ends_their_sessions() {
        AccountStore s = open(dir, key, clock);
        s.createUser("alice", "Alice", "owner");
        s.createSession(new Session("s1", "alice", "c", T0, T0, T0.plus(Duration.ofHours(12))));

        s.deleteUser("alice");
        assertThat(s.session("s1")).isEmpty();
    }

    @Test
    void api_tokens_are_listed_revoked_once_and_touched() {
        AccountStore s = open(dir, key, clock);
        s.createApiToken(
                new ApiToken("t1", "deploy", "editor", "h1", "alice", T0, T0.plus(Duration.ofDays(90)), null, null));
        s.createApiToken(new ApiToken(
                "t2", "metrics", "viewer", "h2", "alice", T0.plusSeconds(1), T0.plus(Duration.ofDays(90)), null, null));

        assertThat(s.apiTokens()).extracting(ApiToken::id).containsExactly("t2", "t1");
        s.touchApiToken("t1", T0.plusSeconds(5));
        assertThat(s.apiToken("t1").orElseThrow().lastUsedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(s.revokeApiToken("t1", T0.plusSeconds(10))).isTrue();
        assertThat(s.revokeApiToken("t1", T0.plusSeconds(11))).isFalse();
        assertThat(s.apiToken("t1").orElseThrow().revokedAt()).isEqualTo(T0.plusSeconds(10));
        assertThat(s.apiToken("t1").orElseThrow().secretHash()).isEqualTo("h1");
    }
}
