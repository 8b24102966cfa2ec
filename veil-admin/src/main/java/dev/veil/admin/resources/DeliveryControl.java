package dev.veil.admin.resources;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the admin API needs from delivery, implemented by the server (which owns the delivery engine, dead
 * letters and replay queue): per-destination status, dead letters, replay and a test event. Implementations are
 * thread-safe and never put event values in anything but {@link #rawDeadLetter}.
 */
public interface DeliveryControl {

    /** Status of every destination of the running policy. */
    List<DestinationStatus> status();

    /** Dead letters of a destination, oldest first: ids, types, reasons and times only. */
    List<DeadLetterInfo> deadLetters(String destinationId, Instant since, int max);

    /** One dead letter's raw event as JSON (PHI: only for the privacy-officer role, and audited by the caller). */
    Optional<String> rawDeadLetter(String destinationId, long id);

    /**
     * Queues dead letters for delivery again ({@code ids} empty: every failed one); returns how many were
     * queued. Each is queued at most once.
     */
    int replay(String destinationId, List<Long> ids);

    /** Sends a synthetic test event (no personal data) to the destination's endpoint and reports the answer. */
    TestResult sendTestEvent(String destinationId);

    /**
     * @param id destination id
     * @param state {@code running}, {@code failed_to_start}, {@code circuit_open}, {@code disabled} or {@code stopped}
     * @param deadLetters dead letters not yet replayed
     * @param waiting events in the log this destination has not finalized yet (its retry queue: events waiting
     *     for delivery or for a retry after a failure)
     * @param oldestWaitingSeconds how long the oldest of those has waited (0 when none waits)
     * @param problem why it is not running, if it is not (PHI-free)
     */
    record DestinationStatus(
            String id,
            String state,
            long deadLetters,
            long waiting,
            long oldestWaitingSeconds,
            @Nullable String problem) {}

    /**
     * @param id dead-letter id
     * @param messageId the event's message id
     * @param type call type
     * @param reason why delivery gave up (PHI-free)
     * @param failedAt when
     * @param status {@code failed}, {@code queued} or {@code replayed}
     */
    record DeadLetterInfo(long id, String messageId, String type, String reason, Instant failedAt, String status) {}

    /**
     * @param delivered whether the vendor accepted it
     * @param status the HTTP status, 0 when there was no answer
     * @param message what happened, in words (PHI-free; vendor messages as the connector reports them)
     */
    record TestResult(boolean delivered, int status, String message) {}

    /** Delivery that is not running (CLI tools, tests): empty status, nothing to replay. */
    DeliveryControl NONE = new DeliveryControl() {
        @Override
        public List<DestinationStatus> status() {
            return List.of();
        }

        @Override
        public List<DeadLetterInfo> deadLetters(String destinationId, Instant since, int max) {
            return List.of();
        }

        @Override
        public Optional<String> rawDeadLetter(String destinationId, long id) {
            return Optional.empty();
        }

        @Override
        public int replay(String destinationId, List<Long> ids) {
            return 0;
        }

        @Override
        public TestResult sendTestEvent(String destinationId) {
            return new TestResult(false, 0, "delivery is not running in this process");
        }
    };
}
