package dev.veil.destinations.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.veil.api.EventType;
import dev.veil.api.SafeEvent;
import dev.veil.destinations.spi.Connector;
import dev.veil.destinations.spi.OutboundRequest;
import dev.veil.destinations.spi.Outcome;
import dev.veil.destinations.spi.Prepared;
import dev.veil.fakes.FakeVendor;
import dev.veil.fakes.Fault;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Drives a connector against its fake vendor as the delivery engine would: the connector prepares the requests,
 * {@link VendorHttp} sends each to the fake, the connector interprets the answer. Shared by the semantic-event tables
 * and the fidelity tests, so each of them states only what it expects of the vendor's copy.
 */
public final class ConnectorHarness {

    private final Connector connector;
    private final FakeVendor fake;
    private final Supplier<List<String>> incomplete;

    /**
     * A harness for one connector and the fake it sends to; {@code incomplete} reads what the fake found missing in
     * the events it kept (each fake names its own, e.g. {@code fake::incomplete}).
     */
    public ConnectorHarness(Connector connector, FakeVendor fake, Supplier<List<String>> incomplete) {
        this.connector = connector;
        this.fake = fake;
        this.incomplete = incomplete;
    }

    /**
     * A track call of Segment's spec event {@code name} with the spec's properties for it ({@link SegmentSpec}), from
     * the test user, with every context field a policy can allow.
     */
    public static SafeEvent specEvent(String name, String messageId) {
        return new SafeEvent(
                "d",
                EventType.TRACK,
                messageId,
                Instant.now(),
                name,
                Events.USER,
                Events.ANON,
                null,
                null,
                SegmentSpec.properties(name),
                Map.of(),
                Events.fullContext());
    }

    /**
     * Prepares {@code events} with {@code connector}, sends every request to {@code fake} and asserts that each was
     * delivered (a failure shows the rules the fake found broken). Returns what was prepared.
     */
    public static Prepared deliver(FakeVendor fake, Connector connector, SafeEvent... events) {
        Prepared prepared = connector.prepare(List.of(events));
        for (OutboundRequest r : prepared.requests()) {
            assertThat(connector.interpret(r, VendorHttp.send(r)))
                    .as("%s", fake.violations())
                    .isEqualTo(new Outcome.Delivered());
        }
        return prepared;
    }

    /** {@link #deliver(FakeVendor, Connector, SafeEvent...)} with this harness's fake and connector. */
    public Prepared deliver(SafeEvent... events) {
        return deliver(fake, connector, events);
    }

    /** Delivers {@code events} and asserts that the fake found no rule of the vendor's broken. */
    public Prepared deliverValid(SafeEvent... events) {
        Prepared prepared = deliver(events);
        assertThat(fake.violations()).isEmpty();
        return prepared;
    }

    /**
     * Delivers one event and asserts that the connector rejected nothing and that the fake found no rule broken and
     * nothing its reports need missing. Returns the first event the fake kept, as the vendor received it.
     */
    public JsonNode deliverCleanly(SafeEvent event) {
        Prepared prepared = deliver(event);
        assertThat(prepared.rejected()).isEmpty();
        assertThat(fake.violations()).isEmpty();
        assertThat(incomplete.get()).isEmpty();
        return fake.accepted().getFirst();
    }

    /**
     * The vendor keeps the first request of {@code batch} but its answer is lost on the way (the client sees an error,
     * asserted); the delivery engine then prepares the same events again and retries, which must be delivered.
     */
    public void deliverRetryingALostAnswer(List<SafeEvent> batch) {
        fake.faults().failNext(1, Fault.answerLost());
        OutboundRequest r = connector.prepare(batch).requests().getFirst();

        assertThatThrownBy(() -> VendorHttp.send(r))
                .as("the client sees no answer")
                .isInstanceOf(Exception.class);
        OutboundRequest retry = connector.prepare(batch).requests().getFirst();
        assertThat(connector.interpret(retry, VendorHttp.send(retry))).isEqualTo(new Outcome.Delivered());
    }
}
