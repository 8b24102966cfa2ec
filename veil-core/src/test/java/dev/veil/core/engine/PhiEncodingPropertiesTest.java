package dev.veil.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * For any PHI value of the corpus and any chain of up to three encodings from the supported set, the value never
 * appears in what the engine forwards: not as sent, not encoded, not once the output is decoded.
 */
class PhiEncodingPropertiesTest {

    private static final List<PhiCorpus.Phi> CORPUS = PhiCorpus.phi();
    private static final List<String> CHAINABLE = List.of(
            "percent",
            "form-encoded",
            "html-numeric",
            "html-named",
            "full-width",
            "nb-hyphen-space",
            "base64",
            "base64url");

    record Case(PhiCorpus.Phi phi, List<String> chain) {}

    @Provide
    Arbitrary<Case> cases() {
        return Arbitraries.of(CORPUS)
                .flatMap(phi -> Arbitraries.of(CHAINABLE)
                        .list()
                        .ofMinSize(1)
                        .ofMaxSize(3)
                        .map(chain -> new Case(phi, chain)));
    }

    /** Found by the property: '+' from form encoding, percent-encoded again, is a space only in round two. */
    @net.jqwik.api.Example
    void regression_a_form_encoded_then_percent_encoded_phone_number_is_found() throws Exception {
        no_phi_value_leaves_through_any_encoding_chain(new Case(
                new PhiCorpus.Phi("phone", "+44 (0)20 7946 0958", "+44 (0)20 7946 0958"),
                List.of("form-encoded", "percent")));
    }

    @Property(tries = 1000)
    void no_phi_value_leaves_through_any_encoding_chain(@ForAll("cases") Case c) throws Exception {
        String encoded = c.phi().value();
        List<String> applied = new ArrayList<>();
        for (String name : c.chain()) {
            if (!PhiCorpus.applies(name, encoded)) {
                continue;
            }
            UnaryOperator<String> e = PhiCorpus.ENCODINGS.get(name);
            encoded = e.apply(encoded);
            applied.add(name);
        }
        Decision d = PhiCorpusRecallTest.ENGINE.evaluate(
                PhiCorpusRecallTest.eventWith(encoded), PhiCorpusRecallTest.DESTINATION);
        String out = PhiCorpusRecallTest.output(d);
        assertThat(PhiCorpusRecallTest.leaks(out, c.phi(), encoded))
                .as("%s through %s: %s", c.phi().value(), applied, out)
                .isFalse();
    }
}
