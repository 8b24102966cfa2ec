package dev.veil.console.testing;

/** Policies shared by console tests: a GA4 destination without a BAA and a CRM webhook with one. */
public final class Policies {

    private Policies() {}

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
}
