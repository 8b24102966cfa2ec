package dev.veil.console.web;

import dev.veil.console.matrix.MatrixProposal;
import dev.veil.core.engine.FieldTreatments.Treatment;
import dev.veil.store.DictionaryStore.EventKey;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The matrix's editor for one cell (a field, or with an empty path the event itself, at one destination): the
 * current treatment, the choices, and after "preview" the proposal with the validator's verdict.
 *
 * @param destinationId the destination
 * @param destinationName its display name
 * @param baa whether it has a BAA
 * @param event the event
 * @param path the field path, empty for the event itself
 * @param current what the published policy does
 * @param draftCurrent what the person's open draft does, when it differs from the published policy
 * @param choices the choices offered ({@code pass}, {@code mask}, …, {@code drop}; {@code allow}/{@code drop} for
 *     events)
 * @param selected the choice previewed, empty before
 * @param reason the reason given for passing an identifier-named key, empty if none
 * @param proposal the previewed change, null before preview
 */
public record CellEdit(
        String destinationId,
        String destinationName,
        boolean baa,
        EventKey event,
        String path,
        Treatment current,
        @Nullable Treatment draftCurrent,
        List<String> choices,
        String selected,
        String reason,
        @Nullable MatrixProposal proposal) {

    public CellEdit {
        choices = List.copyOf(choices);
    }

    public boolean isEvent() {
        return path.isEmpty();
    }

    /** How a choice reads. */
    public static String describe(String choice) {
        return switch (choice) {
            case "pass" -> "pass — the value, after the PHI scanner";
            case "mask" -> "mask — a keyed hash (joins up, not reversible)";
            case "zip3" -> "zip3 — first three digits of a US ZIP";
            case "year" -> "year — only the year of a date";
            case "age90" -> "age90 — ages 90 and over become 90+";
            case "drop" -> "block — the destination never receives it";
            case "allow" -> "send this event (only its allowed fields)";
            default -> choice;
        };
    }
}
