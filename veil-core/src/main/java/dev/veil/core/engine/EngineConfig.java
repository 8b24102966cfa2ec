package dev.veil.core.engine;

import dev.veil.core.policy.PrivacySettings;
import java.util.Objects;

/**
 * Everything {@link DefaultPrivacyEngine} needs besides the destination policy. Immutable.
 *
 * @param privacy the policy's {@code privacy:} block (URL rules, scanner, consent)
 * @param keyring the masking secret versions
 * @param geo the IP to region locator ({@link GeoLocator#NONE} when no database is configured)
 * @param userAgents the user-agent generalizer ({@link UserAgentGeneralizer#NONE} to yield nothing)
 * @param scanListener receives PHI scanner match counts
 */
public record EngineConfig(
        PrivacySettings privacy,
        MaskingKeyring keyring,
        GeoLocator geo,
        UserAgentGeneralizer userAgents,
        ScanListener scanListener) {

    public EngineConfig {
        Objects.requireNonNull(privacy, "privacy");
        Objects.requireNonNull(keyring, "keyring");
        Objects.requireNonNull(geo, "geo");
        Objects.requireNonNull(userAgents, "userAgents");
        Objects.requireNonNull(scanListener, "scanListener");
    }

    /** A builder with default privacy settings, no geo database, no user-agent parser and no listener. */
    public static Builder builder(MaskingKeyring keyring) {
        return new Builder(keyring);
    }

    /** Builds an {@link EngineConfig}; only the keyring is required. */
    public static final class Builder {
        private PrivacySettings privacy = PrivacySettings.DEFAULTS;
        private final MaskingKeyring keyring;
        private GeoLocator geo = GeoLocator.NONE;
        private UserAgentGeneralizer userAgents = UserAgentGeneralizer.NONE;
        private ScanListener scanListener = ScanListener.NONE;

        private Builder(MaskingKeyring keyring) {
            this.keyring = Objects.requireNonNull(keyring, "keyring");
        }

        public Builder privacy(PrivacySettings privacy) {
            this.privacy = privacy;
            return this;
        }

        public Builder geo(GeoLocator geo) {
            this.geo = geo;
            return this;
        }

        public Builder userAgents(UserAgentGeneralizer userAgents) {
            this.userAgents = userAgents;
            return this;
        }

        public Builder scanListener(ScanListener scanListener) {
            this.scanListener = scanListener;
            return this;
        }

        public EngineConfig build() {
            return new EngineConfig(privacy, keyring, geo, userAgents, scanListener);
        }
    }
}
