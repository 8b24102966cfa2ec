package dev.veil.admin.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.password4j.Argon2Function;
import com.password4j.Password;
import org.junit.jupiter.api.Test;

/** The hash unknown users are checked against costs what a real one costs, yet takes no hashing to make. */
class PasswordsTest {

    @Test
    void the_unmatchable_hash_carries_the_same_argon2_parameters_as_a_real_hash() {
        for (Passwords p : new Passwords[] {Passwords.DEFAULT, new Passwords(1024, 1, 1), new Passwords(2048, 3, 2)}) {
            String dummy = p.unmatchable();
            // Same function (memory, iterations, lanes, output length, type, version): the check does the same work.
            assertThat(Argon2Function.getInstanceFromHash(dummy))
                    .isEqualTo(Argon2Function.getInstanceFromHash(new Passwords(1024, 1, 1)
                            .hash("x")
                            .replaceFirst(
                                    "m=1024,t=1,p=1",
                                    "m=" + p.memoryKib() + ",t=" + p.iterations() + ",p=" + p.parallelism())));
        }
    }

    @Test
    void no_password_matches_it_and_checking_really_hashes_instead_of_failing_fast() {
        Passwords p = new Passwords(1024, 1, 1);
        String dummy = p.unmatchable();
        assertThat(dummy).isNotEqualTo(p.unmatchable());
        for (String candidate : new String[] {"", "x", "correct horse battery staple"}) {
            // Password.check throws on a malformed hash, which matches() would turn into a fast false: a timing tell.
            assertThat(Password.check(candidate, dummy).with(Argon2Function.getInstanceFromHash(dummy)))
                    .isFalse();
            assertThat(p.matches(candidate, dummy)).isFalse();
        }
    }
}
