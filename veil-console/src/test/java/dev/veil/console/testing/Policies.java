package dev.veil.console.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.function.Consumer;

/** Policies shared by console tests: a GA4 destination without a BAA and a CRM webhook with one. */
public final class Policies {

    private Policies() {}

    private static final YAMLMapper YAML = new YAMLMapper();

    public static final String GA4_AND_CRM = """
            version: 1
            destinations:
              - id: ga4
                type: ga4
                name: GA4 (marketing)
                settings:
                  measurementId: G-TEST123
                  apiSecret: ${env:GA4_API_SECRET}
                events:
                  allow:
                    - name: Appointment Booked
                      as: book_appointment
                      properties:
                        clinic_zip: zip3
                properties:
                  plan: pass
              - id: crm
                type: webhook
                name: CRM
                baa: true
                settings:
                  url: https://crm.example/hook
                  signingSecret: ${env:CRM_SIGNING_SECRET}
                identity:
                  userId: pass
                events:
                  allow:
                    - name: Appointment Booked
                      properties:
                        service_line: pass
                        email: mask
            """;

    /**
     * {@code policy} with {@code change} made to its tree, as YAML again (comments and layout are not kept), for a
     * test that needs a variant of a shared policy rather than a copy of it.
     */
    public static String edit(String policy, Consumer<ObjectNode> change) {
        try {
            ObjectNode root = (ObjectNode) YAML.readTree(policy);
            change.accept(root);
            return YAML.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a test policy is not valid YAML", e);
        }
    }
}
