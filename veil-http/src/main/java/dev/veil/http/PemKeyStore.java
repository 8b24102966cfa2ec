package dev.veil.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads a PEM certificate chain and a PEM private key into an in-memory key store for Jetty. Errors name the file
 * and what is wrong with it, never key material. Stateless.
 */
public final class PemKeyStore {

    /** The alias of the one entry. */
    public static final String ALIAS = "veil";

    private PemKeyStore() {}

    /** A key store with the key and chain, protected by {@code password} (in memory only). */
    public static KeyStore load(Path certificate, Path privateKey, char[] password) {
        X509Certificate[] chain = certificates(certificate);
        PrivateKey key = privateKey(privateKey);
        checkPair(key, chain[0].getPublicKey(), certificate, privateKey);
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(ALIAS, key, password, chain);
            return ks;
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsException(
                    "tls: cannot build a key store (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    /** A random password for an in-memory key store. */
    public static char[] randomPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes).toCharArray();
    }

    static X509Certificate[] certificates(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certs =
                    CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new TlsException("tls.certificate " + file + ": no PEM certificate found");
            }
            return certs.stream().map(c -> (X509Certificate) c).toArray(X509Certificate[]::new);
        } catch (NoSuchFileException e) {
            throw new TlsException("tls.certificate " + file + ": file not found", e);
        } catch (IOException | GeneralSecurityException e) {
            throw new TlsException(
                    "tls.certificate " + file + ": not a PEM certificate chain ("
                            + e.getClass().getSimpleName() + ")",
                    e);
        }
    }

    static PrivateKey privateKey(Path file) {
        Object pem;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(r)) {
            pem = parser.readObject();
        } catch (NoSuchFileException e) {
            throw new TlsException("tls.privateKey " + file + ": file not found", e);
        } catch (IOException e) {
            throw new TlsException(
                    "tls.privateKey " + file + ": not a PEM private key ("
                            + e.getClass().getSimpleName() + ")",
                    e);
        }
        PrivateKeyInfo info =
                pem instanceof PrivateKeyInfo i ? i : pem instanceof PEMKeyPair pair ? pair.getPrivateKeyInfo() : null;
        if (info != null) {
            return jdkKey(info, file);
        }
        if (pem instanceof PEMEncryptedKeyPair || pem instanceof PKCS8EncryptedPrivateKeyInfo) {
            throw new TlsException(
                    "tls.privateKey " + file
                            + ": the key is encrypted; give Veil an unencrypted key file readable only by its user (mode 0600)");
        }
        throw new TlsException("tls.privateKey " + file + ": no PEM private key found (expected BEGIN PRIVATE KEY,"
                + " BEGIN RSA PRIVATE KEY or BEGIN EC PRIVATE KEY)");
    }

    /** The key as the JDK's own key type (so the JDK's TLS uses it), from its PKCS#8 encoding. */
    private static PrivateKey jdkKey(PrivateKeyInfo info, Path file) {
        String oid = info.getPrivateKeyAlgorithm().getAlgorithm().getId();
        String algorithm = switch (oid) {
            case "1.2.840.113549.1.1.1" -> "RSA";
            case "1.2.840.10045.2.1" -> "EC";
            case "1.3.101.112" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            throw new TlsException("tls.privateKey " + file + ": unsupported key algorithm " + oid
                    + " (RSA, EC and Ed25519 keys are supported)");
        }
        try {
            // Through Bouncy Castle first: it normalizes every PEM form (SEC1 keys carry their curve in another
            // place than PKCS#8 does), then the JDK's own key type, so the JDK's TLS uses it.
            byte[] pkcs8 = new JcaPEMKeyConverter()
                    .setProvider(new BouncyCastleProvider())
                    .getPrivateKey(info)
                    .getEncoded();
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (IOException | GeneralSecurityException e) {
            throw new TlsException(
                    "tls.privateKey " + file + ": unusable " + algorithm + " key ("
                            + e.getClass().getSimpleName() + ")",
                    e);
        }
    }

    /** Signs a probe with the key and verifies it with the certificate, so a mismatched pair fails at start. */
    private static void checkPair(PrivateKey key, PublicKey certKey, Path certificate, Path privateKey) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            return; // an unusual key type: let the TLS handshake judge it
        }
        try {
            byte[] probe = "veil-tls-key-check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] sig = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certKey);
            verifier.update(probe);
            if (verifier.verify(sig)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            // a key of another type than the certificate's: reported below
        }
        throw new TlsException("tls: the private key in " + privateKey + " does not belong to the first certificate in "
                + certificate);
    }

    /** A certificate or key file that cannot be used; the message names the file and the problem. */
    public static final class TlsException extends RuntimeException {
        public TlsException(String message) {
            super(message);
        }

        public TlsException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
