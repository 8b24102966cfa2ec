package dev.veil.admin;

import dev.veil.admin.audit.Audit;
import dev.veil.admin.auth.AuthOptions;
import dev.veil.admin.auth.AuthService;
import dev.veil.admin.auth.Principal;
import dev.veil.admin.auth.Role;
import dev.veil.admin.policy.DestinationService;
import dev.veil.admin.policy.DraftService;
import dev.veil.admin.policy.PolicyService;
import dev.veil.admin.resources.DeliveryControl;
import dev.veil.admin.resources.DeliveryService;
import dev.veil.admin.resources.InstallSnippet;
import dev.veil.admin.resources.MaskingKeyService;
import dev.veil.admin.resources.SourceService;
import dev.veil.admin.resources.TokenService;
import dev.veil.admin.resources.UserService;
import dev.veil.api.ConnectorDescriptor;
import dev.veil.core.policy.SecretResolver;
import dev.veil.store.AccountStore;
import dev.veil.store.AuditLog;
import dev.veil.store.ConfigStore;
import dev.veil.store.DraftStore;
import dev.veil.store.SecretStore;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Every admin service over one set of stores: what the admin API's handlers call, and what the console (or a
 * CLI command) calls in process. Build it once per process with {@link #builder}. Thread-safe.
 *
 * @param audit the audit writer (and its log)
 * @param auth logins, sessions, setup links, token checks
 * @param users admin users
 * @param tokens API tokens
 * @param policies validate, diff, apply, export, history; the two-person rule switch
 * @param drafts drafts, approvals, publishing
 * @param destinations destinations (edits become drafts; secrets write-only)
 * @param sources sources and write keys
 * @param maskingKeys masking key versions and rotation
 * @param delivery delivery status, dead letters, replay, test events (from the server; actions audited)
 */
public record AdminServices(
        Audit audit,
        AuthService auth,
        UserService users,
        TokenService tokens,
        PolicyService policies,
        DraftService drafts,
        DestinationService destinations,
        SourceService sources,
        MaskingKeyService maskingKeys,
        DeliveryService delivery) {

    public static Builder builder(
            ConfigStore config, AccountStore accounts, DraftStore drafts, SecretStore secrets, AuditLog audit) {
        return new Builder(config, accounts, drafts, secrets, audit);
    }

    /**
     * On first start (no users yet) creates the owner account and returns its one-time setup token, to print on
     * the terminal as a link. Never a default password. Empty when users exist.
     */
    public Optional<String> bootstrapOwner(String username) {
        if (users.anyUser()) {
            return Optional.empty();
        }
        return Optional.of(
                users.create(Principal.system(), username, "Owner", Role.OWNER).setupToken());
    }

    /** Builds {@link AdminServices}; optional parts default to no connectors, no delivery and a placeholder snippet. */
    public static final class Builder {
        private final ConfigStore config;
        private final AccountStore accounts;
        private final DraftStore drafts;
        private final SecretStore secrets;
        private final AuditLog audit;
        private Clock clock = Clock.systemUTC();
        private AuthOptions auth = AuthOptions.DEFAULTS;
        private Map<String, ConnectorDescriptor> connectors = Map.of();
        private SecretResolver resolver = SecretResolver.system();
        private DeliveryControl delivery = DeliveryControl.NONE;
        private InstallSnippet snippet = InstallSnippet.PLACEHOLDER;
        private Runnable onSourcesChanged = () -> {};

        private Builder(
                ConfigStore config, AccountStore accounts, DraftStore drafts, SecretStore secrets, AuditLog audit) {
            this.config = config;
            this.accounts = accounts;
            this.drafts = drafts;
            this.secrets = secrets;
            this.audit = audit;
        }

        public Builder clock(Clock c) {
            this.clock = c;
            return this;
        }

        public Builder auth(AuthOptions o) {
            this.auth = o;
            return this;
        }

        public Builder connectors(Map<String, ConnectorDescriptor> c) {
            this.connectors = c;
            return this;
        }

        public Builder secretResolver(SecretResolver r) {
            this.resolver = r;
            return this;
        }

        public Builder delivery(DeliveryControl d) {
            this.delivery = d;
            return this;
        }

        public Builder snippet(InstallSnippet s) {
            this.snippet = s;
            return this;
        }

        public Builder onSourcesChanged(Runnable r) {
            this.onSourcesChanged = r;
            return this;
        }

        public AdminServices build() {
            Audit a = new Audit(audit);
            AuthService authService = new AuthService(accounts, a, clock, auth);
            PolicyService policies = new PolicyService(config, drafts, secrets, a, connectors, resolver);
            DraftService draftService = new DraftService(policies);
            DestinationService destinations = new DestinationService(policies, draftService);
            return new AdminServices(
                    a,
                    authService,
                    new UserService(accounts, authService, a),
                    new TokenService(accounts, a, clock),
                    policies,
                    draftService,
                    destinations,
                    new SourceService(config, a, snippet, onSourcesChanged),
                    new MaskingKeyService(config, a),
                    new DeliveryService(delivery, destinations, a));
        }
    }
}
