/**
 * The connector SPI. A connector turns batches of {@link dev.veil.api.SafeEvent}s into vendor HTTP requests
 * and interprets the vendor's answers; the delivery engine (in the server) does the sending, retrying,
 * batching and dead-lettering. A new vendor is a new package with a {@link
 * dev.veil.destinations.spi.ConnectorFactory} and one line in {@code
 * META-INF/services/dev.veil.destinations.spi.ConnectorFactory}.
 */
@NullMarked
package dev.veil.destinations.spi;

import org.jspecify.annotations.NullMarked;
