/** Small, pure cryptographic building blocks on the JDK's providers (HKDF, AES-GCM). */
@NullMarked
package dev.veil.core.crypto;

import org.jspecify.annotations.NullMarked;
