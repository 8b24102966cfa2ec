package dev.veil.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.javalin.Javalin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Veil terminating TLS itself from PEM files made in the test. */
class TlsTest {

    @TempDir
    Path dir;

    private Javalin app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop();
        }
    }

    private Path cert() {
        return dir.resolve("fullchain.pem");
    }

    private Path key() {
        return dir.resolve("privkey.pem");
    }

    private int start(Duration reloadCheck) {
        TlsSettings tls = new TlsSettings(cert(), key(), reloadCheck, Duration.ofDays(365));
        app = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            new HardenedListener("public", "127.0.0.1", 0, HttpLimits.defaults(), ip -> false, tls)
                    .applyTo(c, new SimpleMeterRegistry());
            c.routes.get("/", ctx -> ctx.result("secure"));
        });
        app.start();
        return app.port();
    }

    @Test
    void serves_https_with_the_pem_certificate_tls_1_3_and_hsts() throws Exception {
        var issued = TestCertificates.issue("veil-test-1", 1, "EC");
        TestCertificates.write(issued, cert(), key(), false);
        int port = start(Duration.ofMinutes(1));

        HttpResponse<String> res = client(issued.certificate())
                .send(
                        HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(res.body()).isEqualTo("secure");
        assertThat(res.headers().firstValue("Strict-Transport-Security")).contains("max-age=31536000");
        try (SSLSocket s = socket(issued.certificate(), port, null, null)) {
            s.startHandshake();
            assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.3");
        }
    }

    @Test
    void offers_tls_1_2_only_with_forward_secret_aead_ciphers() throws Exception {
        var issued = TestCertificates.issue("veil-test-1", 1, "RSA");
        TestCertificates.write(issued, cert(), key(), true); // PKCS#1 "BEGIN RSA PRIVATE KEY"
        int port = start(Duration.ofMinutes(1));

        try (SSLSocket gcm = socket(issued.certificate(), port, "TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")) {
            gcm.startHandshake();
            assertThat(gcm.getSession().getCipherSuite()).isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        }
        for (String weak : List.of("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256")) {
            try (SSLSocket s = socket(issued.certificate(), port, "TLSv1.2", weak)) {
                assertThatThrownBy(s::startHandshake).as(weak).isInstanceOf(SSLHandshakeException.class);
            }
        }
    }

    @Test
    void a_renewed_certificate_is_picked_up_without_a_restart() throws Exception {
        var first = TestCertificates.issue("veil-test-1", 1, "EC");
        TestCertificates.write(first, cert(), key(), false);
        int port = start(Duration.ofMillis(200));
        assertThat(served(first.certificate(), port).getSerialNumber()).isEqualTo(BigInteger.ONE);

        var second = TestCertificates.issue("veil-test-2", 2, "EC");
        Path newCert = dir.resolve("new-cert.pem");
        Path newKey = dir.resolve("new-key.pem");
        TestCertificates.write(second, newCert, newKey, false);
        Files.move(newKey, key(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.move(newCert, cert(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        served(second.certificate(), port).getSerialNumber().equals(BigInteger.TWO));
    }

    @Test
    void a_key_that_does_not_match_the_certificate_fails_at_start_naming_both_files() throws Exception {
        var one = TestCertificates.issue("a", 1, "EC");
        var other = TestCertificates.issue("b", 2, "EC");
        Files.writeString(cert(), TestCertificates.pem(one.certificate()));
        TestCertificates.write(other, dir.resolve("other-cert.pem"), key(), false);

        assertThatThrownBy(() -> start(Duration.ofMinutes(1)))
                .hasMessageContaining("does not belong to the first certificate")
                .hasMessageContaining("privkey.pem")
                .hasMessageContaining("fullchain.pem");
    }

    @Test
    void a_missing_or_garbled_file_is_named_in_the_error() throws Exception {
        var one = TestCertificates.issue("a", 1, "EC");
        Files.writeString(cert(), TestCertificates.pem(one.certificate()));
        assertThatThrownBy(() -> start(Duration.ofMinutes(1)))
                .hasMessageContaining("tls.privateKey " + key() + ": file not found");
        Files.writeString(key(), "not a key");
        assertThatThrownBy(() -> start(Duration.ofMinutes(1))).hasMessageContaining("no PEM private key found");
    }

    private X509Certificate served(X509Certificate trusted, int port) throws Exception {
        try (SSLSocket s = socket(trusted, port, null, null)) {
            s.startHandshake();
            return (X509Certificate) s.getSession().getPeerCertificates()[0];
        } catch (SSLHandshakeException e) {
            // the other certificate is still served: not trusted by this client
            return (X509Certificate) TestCertificates.issue("none", 0, "EC").certificate();
        }
    }

    private static SSLContext trusting(X509Certificate cert) throws Exception {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("test", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    private static HttpClient client(X509Certificate cert) throws Exception {
        return HttpClient.newBuilder().sslContext(trusting(cert)).build();
    }

    private static SSLSocket socket(X509Certificate cert, int port, String protocol, String cipher) throws Exception {
        SSLSocket s = (SSLSocket) trusting(cert).getSocketFactory().createSocket("127.0.0.1", port);
        s.setSoTimeout(5_000);
        if (protocol != null) {
            s.setEnabledProtocols(new String[] {protocol});
        }
        if (cipher != null) {
            s.setEnabledCipherSuites(new String[] {cipher});
        }
        return s;
    }
}
