package dev.veil.core.engine;

import dev.veil.api.SafeContext;
import java.util.Optional;

/**
 * Turns a full User-Agent string into {@code {browser, browserMajor, os, deviceType}} only. Implementations are
 * thread-safe and never throw for bad input; values they return come from a fixed vocabulary, never copied from
 * the input, so nothing a client writes into its user agent can leak through.
 */
@FunctionalInterface
public interface UserAgentGeneralizer {

    /** A generalizer that knows nothing: {@code userAgent: generalize} then yields no user agent. */
    UserAgentGeneralizer NONE = ua -> Optional.empty();

    /** The generalized form of {@code userAgent}, or empty when nothing is known. */
    Optional<SafeContext.UserAgentInfo> generalize(String userAgent);
}
