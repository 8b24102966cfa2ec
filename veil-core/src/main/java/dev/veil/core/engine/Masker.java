package dev.veil.core.engine;

import dev.veil.core.crypto.Hkdf;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed, irreversible masking of identifiers: {@code base64url(HMAC-SHA-256(K_dest, value))} truncated to 32
 * characters, with {@code K_dest = HKDF-SHA-256(secret, "veil/mask/v{version}/{destinationId}")}. Thread-safe.
 *
 * <p>Design note: deriving a key costs two HMACs and {@code Mac.init} a little more, so per-destination keys are
 * derived once (shared map) and each thread keeps its own initialized {@link Mac} per key ({@code Mac} is not
 * thread-safe; {@code doFinal} resets it to the keyed state, ready for the next value).
 */
public final class Masker {

    /** Length of a masked value in characters (24 bytes of the HMAC, base64url without padding). */
    public static final int MASK_LENGTH = 32;

    private static final String HMAC = "HmacSHA256";
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private record KeyId(int version, String destinationId) {}

    private final MaskingKeyring keyring;
    private final Map<KeyId, SecretKeySpec> keys = new ConcurrentHashMap<>();
    private final ThreadLocal<Map<KeyId, Mac>> macs = ThreadLocal.withInitial(HashMap::new);

    public Masker(MaskingKeyring keyring) {
        this.keyring = keyring;
    }

    /** The keyring this masker uses. */
    public MaskingKeyring keyring() {
        return keyring;
    }

    /** Masks {@code value} for {@code destinationId} with the key version in force at {@code receivedAt}. */
    public String mask(String destinationId, Instant receivedAt, String value) {
        return mask(destinationId, keyring.versionAt(receivedAt).version(), value);
    }

    /** Masks {@code value} for {@code destinationId} with key {@code version}: trimmed, emails lower-cased. */
    public String mask(String destinationId, int version, String value) {
        Mac mac = mac(new KeyId(version, destinationId));
        byte[] digest = mac.doFinal(normalize(value).getBytes(StandardCharsets.UTF_8));
        byte[] head = new byte[24];
        System.arraycopy(digest, 0, head, 0, 24);
        return new String(BASE64URL.encode(head), StandardCharsets.ISO_8859_1);
    }

    /** The canonical form that is hashed: trimmed; lower-cased when it is an email address. */
    static String normalize(String value) {
        String v = value.strip();
        if (v.indexOf('@') > 0 && EMAIL.matcher(v).matches()) {
            return v.toLowerCase(Locale.ROOT);
        }
        return v;
    }

    private Mac mac(KeyId id) {
        Map<KeyId, Mac> mine = macs.get();
        Mac mac = mine.get(id);
        if (mac == null) {
            SecretKeySpec key = keys.computeIfAbsent(id, this::derive);
            try {
                mac = Mac.getInstance(HMAC);
                mac.init(key);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("masking: HmacSHA256 unavailable", e);
            }
            mine.put(id, mac);
        }
        return mac;
    }

    private SecretKeySpec derive(KeyId id) {
        MaskingKeyring.KeyVersion kv = keyring.versions().stream()
                .filter(k -> k.version() == id.version())
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("masking: no key version " + id.version()));
        byte[] k = Hkdf.derive(kv.secret(), "veil/mask/v" + id.version() + "/" + id.destinationId(), 32);
        return new SecretKeySpec(k, HMAC);
    }

    @Override
    public String toString() {
        return "Masker[" + keyring + "]";
    }
}
