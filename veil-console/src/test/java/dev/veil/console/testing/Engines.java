package dev.veil.console.testing;

import dev.veil.core.engine.DefaultPrivacyEngine;
import dev.veil.core.engine.EngineConfig;
import dev.veil.core.engine.MaskingKeyring;
import dev.veil.core.policy.Policy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/** A real privacy engine for console tests. */
public final class Engines {

    private Engines() {}

    public static DefaultPrivacyEngine engine(Policy policy) {
        byte[] secret = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
        MaskingKeyring keys = MaskingKeyring.of(List.of(new MaskingKeyring.KeyVersion(1, Instant.EPOCH, secret)));
        return new DefaultPrivacyEngine(
                EngineConfig.builder(keys).privacy(policy.privacy()).build());
    }
}
