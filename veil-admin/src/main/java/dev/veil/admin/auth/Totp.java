package dev.veil.admin.auth;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.samstevens.totp.code.CodeGenerator;
import dev.samstevens.totp.code.DefaultCodeGenerator;
import dev.samstevens.totp.code.HashingAlgorithm;
import dev.samstevens.totp.exceptions.CodeGenerationException;
import dev.samstevens.totp.exceptions.QrGenerationException;
import dev.samstevens.totp.qr.QrData;
import dev.samstevens.totp.qr.ZxingPngQrGenerator;
import dev.samstevens.totp.recovery.RecoveryCodeGenerator;
import dev.samstevens.totp.secret.DefaultSecretGenerator;
import dev.samstevens.totp.util.Utils;
import java.time.Clock;
import java.util.List;
import java.util.OptionalLong;

/**
 * TOTP second factor (RFC 6238: HMAC-SHA-1, 6 digits, 30-second steps, what every authenticator app speaks)
 * with the {@code dev.samstevens.totp} library generating secrets, codes and recovery codes. A code is accepted
 * for the current step and one step either side (RFC 6238 section 5.2 allows one step of network delay and
 * clock drift); the caller records the matched step so a code works only once. Thread-safe.
 */
public final class Totp {

    /** Seconds per step. */
    public static final int PERIOD = 30;

    /** Steps accepted either side of the current one. */
    public static final int DRIFT_STEPS = 1;

    private static final int DIGITS = 6;

    private final Clock clock;
    private final CodeGenerator codes = new DefaultCodeGenerator(HashingAlgorithm.SHA1, DIGITS);

    public Totp(Clock clock) {
        this.clock = clock;
    }

    /** A new base32 secret (160 bits, RFC 4226's recommended length). */
    public static String newSecret() {
        return new DefaultSecretGenerator(32).generate();
    }

    /** The {@code otpauth://} URI an authenticator app scans. */
    public static String uri(String secret, String account) {
        return new QrData.Builder()
                .label(account)
                .secret(secret)
                .issuer("Veil")
                .algorithm(HashingAlgorithm.SHA1)
                .digits(DIGITS)
                .period(PERIOD)
                .build()
                .getUri();
    }

    /** The enrolment QR code as a {@code data:image/png} URI (rendered by the library's ZXing generator). */
    public static String qrDataUri(String secret, String account) {
        QrData data = new QrData.Builder()
                .label(account)
                .secret(secret)
                .issuer("Veil")
                .algorithm(HashingAlgorithm.SHA1)
                .digits(DIGITS)
                .period(PERIOD)
                .build();
        try {
            ZxingPngQrGenerator png = new ZxingPngQrGenerator();
            return Utils.getDataUriForImage(png.generate(data), png.getImageMimeType());
        } catch (QrGenerationException e) {
            throw new IllegalStateException("QR code generation failed", e);
        }
    }

    /** Ten new recovery codes (shown once; store only their hashes). */
    public static List<String> newRecoveryCodes() {
        return List.of(new RecoveryCodeGenerator().generateCodes(10));
    }

    /** The current time step. */
    public long currentStep() {
        return Math.floorDiv(clock.millis() / 1000, PERIOD);
    }

    /** The code for {@code step} (tests and enrolment checks). */
    public String code(String secret, long step) {
        try {
            return codes.generate(secret, step);
        } catch (CodeGenerationException e) {
            throw new IllegalStateException("TOTP code generation failed", e);
        }
    }

    /** The step {@code code} belongs to within the accepted window, or empty when it matches none. */
    public OptionalLong match(byte[] secret, String code) {
        String s = new String(secret, UTF_8);
        String c = code.strip();
        if (c.length() != DIGITS || !c.chars().allMatch(Character::isDigit)) {
            return OptionalLong.empty();
        }
        long now = currentStep();
        for (long step = now - DRIFT_STEPS; step <= now + DRIFT_STEPS; step++) {
            if (Tokens.same(code(s, step), c)) {
                return OptionalLong.of(step);
            }
        }
        return OptionalLong.empty();
    }
}
