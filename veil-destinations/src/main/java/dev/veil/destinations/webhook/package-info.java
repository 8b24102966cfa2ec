/** Signed JSON webhooks: the safe events as JSON, POSTed to a URL the operator controls. */
@NullMarked
package dev.veil.destinations.webhook;

import org.jspecify.annotations.NullMarked;
