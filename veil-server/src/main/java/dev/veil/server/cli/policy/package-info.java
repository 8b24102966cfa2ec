/**
 * The policy-as-code CLI commands: {@code veil policy validate|diff|apply|export|history}, {@code veil preview}
 * and {@code veil keys rotate|list}. Each is a standalone picocli command that works offline on a policy file
 * and the data directory's config store.
 */
@NullMarked
package dev.veil.server.cli.policy;

import org.jspecify.annotations.NullMarked;
