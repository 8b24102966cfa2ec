package dev.veil.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Named secrets set through the admin API (destination API secrets and the like), stored only encrypted under
 * the master key and referenced from the policy as {@code ${secret:NAME}}. Nothing reads them back but the
 * connector wiring; the admin API never returns them.
 *
 * <p>Thread-safe; writes are durable when the method returns.
 */
public interface SecretStore {

    /** Sets (creating or replacing) a secret. */
    void put(String name, String value, String by);

    /** The plain value, for the connector wiring only. */
    Optional<String> get(String name);

    /** Deletes a secret; returns whether it existed. */
    boolean delete(String name);

    /** Names and change times (never values), by name. */
    List<Info> list();

    /** Grows by one with every change, so a running server can see that a secret changed. */
    long revision();

    /** What may be shown about a secret. */
    record Info(String name, Instant updatedAt, String updatedBy) {}
}
