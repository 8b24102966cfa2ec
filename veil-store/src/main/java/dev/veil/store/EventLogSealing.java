package dev.veil.store;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.veil.core.crypto.AesGcm;
import dev.veil.core.event.RawEvent;
import dev.veil.core.event.RawEventCodec;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * How every embedded {@link EventLog} backend keeps an event at rest, so that they all seal alike: the event is
 * encoded ({@link RawEventCodec}) and sealed with AES-GCM under {@code forPurpose(master, "event-log")}, its AAD
 * binding the source and the keyed hash of the message id ({@link MessageIdHash}), so a payload moved to another
 * record fails to open. A sealed constant (the key check) tells at open whether the master key is the one the log
 * was written with. Thread-safe.
 */
public final class EventLogSealing {

    private static final String PURPOSE = "event-log";
    private static final byte[] KEY_CHECK = "veil event log key check".getBytes(UTF_8);

    private final AesGcm gcm;
    private final MessageIdHash ids;

    private EventLogSealing(byte[] master) {
        this.gcm = AesGcm.forPurpose(master, PURPOSE);
        this.ids = new MessageIdHash(master);
    }

    /** The event log keys derived from {@code key}. */
    public static EventLogSealing of(MasterKey key) {
        byte[] master = key.bytes();
        try {
            return new EventLogSealing(master);
        } finally {
            Arrays.fill(master, (byte) 0);
        }
    }

    /** The stored form of a message id ({@link MessageIdHash#of}). */
    public String hashId(String messageId) {
        return ids.of(messageId);
    }

    /** The sealed payload of {@code event}, bound to its source and {@code hashedId}. */
    public byte[] seal(RawEvent event, String hashedId) {
        return gcm.seal(RawEventCodec.encode(event), aad(event.sourceId(), hashedId));
    }

    /**
     * Opens and decodes the payload stored at {@code offset}.
     *
     * @throws StoreException naming the offset if it does not open (wrong key, tampered, moved) or decode
     */
    public RawEvent open(long offset, String sourceId, String hashedId, byte[] sealed) {
        byte[] plain;
        try {
            plain = gcm.open(sealed, aad(sourceId, hashedId));
        } catch (AesGcm.OpenFailedException e) {
            throw new StoreException(
                    "event log read: event at offset " + offset + " cannot be decrypted: " + e.getMessage());
        }
        try {
            return RawEventCodec.decode(plain);
        } catch (IllegalArgumentException e) {
            throw new StoreException("event log read: event at offset " + offset + ": " + e.getMessage());
        }
    }

    /** A new key check to store with a new log. */
    public byte[] sealKeyCheck() {
        return gcm.seal(KEY_CHECK, KEY_CHECK);
    }

    /** Whether {@code sealed} (a stored key check) was made with this key. */
    public boolean keyCheckOpens(byte[] sealed) {
        try {
            gcm.open(sealed, KEY_CHECK);
            return true;
        } catch (AesGcm.OpenFailedException e) {
            return false;
        }
    }

    /** The AAD of a payload: length-prefixed source id and hashed message id. */
    public static byte[] aad(String sourceId, String hashedId) {
        byte[] s = sourceId.getBytes(UTF_8);
        byte[] m = hashedId.getBytes(UTF_8);
        return ByteBuffer.allocate(8 + s.length + m.length)
                .putInt(s.length)
                .put(s)
                .putInt(m.length)
                .put(m)
                .array();
    }

    /** The message a backend throws when the key check fails. */
    public static String wrongKeyMessage(Object where) {
        return "open event log " + where + ": the master key does not match the key the log was written with (key"
                + " check failed); restore the original " + MasterKey.FILE_NAME + " or " + MasterKey.ENV_VAR;
    }

    @Override
    public String toString() {
        return "EventLogSealing[██]";
    }
}
