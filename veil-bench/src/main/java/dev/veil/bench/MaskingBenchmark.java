package dev.veil.bench;

import dev.veil.core.crypto.Hkdf;
import dev.veil.core.engine.Masker;
import dev.veil.core.engine.MaskingKeyring;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Masking cost against the floor: {@link Masker#mask} (trim, e-mail check, thread-local Mac lookup, HMAC,
 * base64url) versus a bare {@code Mac.doFinal} on the same bytes with an already initialized Mac.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgs = {"-Xms512m", "-Xmx512m"})
public class MaskingBenchmark {

    private static final String USER_ID = "user-5521-8830";

    private Masker masker;
    private Mac bare;
    private byte[] bytes;

    @Setup
    public void setUp() throws GeneralSecurityException {
        masker = new Masker(MaskingKeyring.single(BenchFixtures.SECRET));
        bare = Mac.getInstance("HmacSHA256");
        bare.init(new SecretKeySpec(Hkdf.derive(BenchFixtures.SECRET, "veil/mask/v1/ga4-marketing", 32), "HmacSHA256"));
        bytes = USER_ID.getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public String mask() {
        return masker.mask("ga4-marketing", 1, USER_ID);
    }

    @Benchmark
    public byte[] bareHmac() {
        return bare.doFinal(bytes);
    }
}
