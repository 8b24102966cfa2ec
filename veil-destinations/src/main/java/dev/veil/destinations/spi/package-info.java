/**
 * The connector SPI. A connector turns batches of {@link dev.veil.api.SafeEvent}s into vendor HTTP requests
 * and interprets the vendor's answers; the delivery engine (in the server) does the sending, retrying,
 * batching and dead-lettering. A new vendor is a new package with a {@link
 * dev.veil.destinations.spi.ConnectorFactory} and one line in {@code
 * META-INF/services/dev.veil.destinations.spi.ConnectorFactory}.
 *
 * <p>Accounting. Every event the engine hands to {@link dev.veil.destinations.spi.Connector#prepare} ends in
 * exactly one fate, counted per destination: delivered (a request carrying it was accepted), skipped ({@link
 * dev.veil.destinations.spi.Skipped}, with a reason), or dead-lettered (rejected by {@code prepare}, refused by
 * the vendor, or retried past the retry window). Events the policy drops never reach a connector and are counted
 * as dropped. The vendor's answers ({@link dev.veil.destinations.spi.Outcome}) can ask the engine to isolate bad
 * events ({@code Split}, {@code Resend}) or to pause the destination ({@code AuthFailed}).
 */
@NullMarked
package dev.veil.destinations.spi;

import org.jspecify.annotations.NullMarked;
