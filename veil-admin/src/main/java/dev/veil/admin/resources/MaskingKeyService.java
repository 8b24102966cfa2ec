package dev.veil.admin.resources;

import dev.veil.admin.audit.Audit;
import dev.veil.admin.auth.Principal;
import dev.veil.store.ConfigStore;
import dev.veil.store.ConfigStore.MaskingSecret;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Masking keys: their versions and activation times, and rotation. The keys themselves are never returned. */
public final class MaskingKeyService {

    private final ConfigStore config;
    private final Audit audit;

    public MaskingKeyService(ConfigStore config, Audit audit) {
        this.config = config;
        this.audit = audit;
    }

    /** A key version as shown: number, activation, whether it is the one new events use. */
    public record KeyVersion(int version, Instant activatedAt, boolean current) {}

    public List<KeyVersion> list() {
        List<MaskingSecret> all = config.maskingSecrets();
        int current = all.stream().mapToInt(MaskingSecret::version).max().orElse(0);
        return all.stream()
                .sorted(Comparator.comparingInt(MaskingSecret::version))
                .map(s -> new KeyVersion(s.version(), s.activatedAt(), s.version() == current))
                .toList();
    }

    /** Starts a new key version for events received from now on; audited. */
    public KeyVersion rotate(Principal who) {
        config.maskingSecrets();
        MaskingSecret next = config.rotateMaskingSecret();
        audit.success(
                who,
                "masking_key.rotate",
                "masking_key:" + next.version(),
                Map.of("before", next.version() - 1, "after", next.version()));
        return new KeyVersion(next.version(), next.activatedAt(), true);
    }
}
