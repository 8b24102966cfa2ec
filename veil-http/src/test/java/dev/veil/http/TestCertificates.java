package dev.veil.http;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Self-signed certificates for {@code localhost} made in the test, written as PEM files. */
final class TestCertificates {

    private TestCertificates() {}

    record Issued(X509Certificate certificate, KeyPair keys) {}

    static Issued issue(String commonName, long serial, String keyType) throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance(keyType);
        if (keyType.equals("EC")) {
            gen.initialize(new ECGenParameterSpec("secp256r1"));
        } else {
            gen.initialize(2048);
        }
        KeyPair keys = gen.generateKeyPair();
        Instant now = Instant.now();
        X500Name name = new X500Name("CN=" + commonName);
        var builder = new JcaX509v3CertificateBuilder(
                name,
                BigInteger.valueOf(serial),
                Date.from(now.minus(Duration.ofMinutes(5))),
                Date.from(now.plus(Duration.ofDays(2))),
                name,
                keys.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")
        }));
        String sigAlg = keyType.equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        X509Certificate cert = new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder(sigAlg).build(keys.getPrivate())));
        return new Issued(cert, keys);
    }

    /** Writes the certificate and its key (PKCS#8, or the traditional form when {@code traditional}). */
    static void write(Issued issued, Path certFile, Path keyFile, boolean traditional) throws IOException {
        Files.writeString(certFile, pem(issued.certificate()));
        Object key = traditional
                ? issued.keys()
                : new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(
                                issued.keys().getPrivate(), null)
                        .generate();
        Files.writeString(keyFile, pem(key));
    }

    static String pem(Object o) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        }
        return out.toString();
    }
}
