package dev.veil.admin.resources;

import dev.veil.admin.AdminException;
import dev.veil.admin.audit.Audit;
import dev.veil.admin.auth.Principal;
import dev.veil.admin.policy.DestinationService;
import dev.veil.admin.resources.DeliveryControl.DeadLetterInfo;
import dev.veil.admin.resources.DeliveryControl.DestinationStatus;
import dev.veil.admin.resources.DeliveryControl.TestResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Delivery as the admin API and the console use it: status and dead letters to read, and the actions — a test
 * event, replay, viewing a dead letter's raw event — each checked against the published policy and audited
 * here, so every caller gets the same checks and the same audit entries. Thread-safe.
 */
public final class DeliveryService {

    private final DeliveryControl control;
    private final DestinationService destinations;
    private final Audit audit;

    public DeliveryService(DeliveryControl control, DestinationService destinations, Audit audit) {
        this.control = control;
        this.destinations = destinations;
        this.audit = audit;
    }

    /** Status of every destination of the running policy. */
    public List<DestinationStatus> status() {
        return control.status();
    }

    /** Dead letters of a destination since {@code since}, oldest first (ids, types, reasons, times only). */
    public List<DeadLetterInfo> deadLetters(String destinationId, Instant since, int max) {
        return control.deadLetters(destinationId, since, max);
    }

    /**
     * One dead letter's raw event (PHI). The caller has checked the {@code VIEW_RAW} permission; every view is
     * audited as {@code raw.view}.
     */
    public String rawDeadLetter(Principal who, String destinationId, long id) {
        String raw = control.rawDeadLetter(destinationId, id)
                .orElseThrow(() -> AdminException.notFound("dead letter " + id));
        audit.success(who, "raw.view", "dead_letter:" + destinationId + "/" + id, Map.of());
        return raw;
    }

    /** Queues dead letters again ({@code ids} empty: every failed one); audited; returns how many were queued. */
    public int replay(Principal who, String destinationId, List<Long> ids) {
        int queued = control.replay(destinationId, ids);
        audit.success(
                who,
                "dead_letter.replay",
                "destination:" + destinationId,
                Map.of("requested", ids.isEmpty() ? "all" : ids.size(), "queued", queued));
        return queued;
    }

    /** Sends a synthetic test event to a destination of the published policy; audited with its outcome. */
    public TestResult sendTestEvent(Principal who, String destinationId) {
        destinations.get(destinationId);
        TestResult result = control.sendTestEvent(destinationId);
        audit.record(
                who.actor(),
                "destination.test",
                "destination:" + destinationId,
                result.delivered() ? "success" : "failure",
                Map.of("status", result.status()));
        return result;
    }
}
