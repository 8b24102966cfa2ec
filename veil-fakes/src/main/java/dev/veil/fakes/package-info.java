/**
 * Fake vendor servers for tests: real HTTP (Javalin) on 127.0.0.1 and a free port, enforcing each vendor's
 * documented rules ({@code spec/destinations.md}), recording what they accepted and able to inject faults.
 *
 * <p>Every fake extends {@link dev.veil.fakes.FakeVendor}: {@code try (FakeMeta meta = FakeMeta.start("PIXEL",
 * "TOKEN")) { … meta.baseUrl() … meta.accepted() … meta.faults().failNext(2, Fault.status(503)) }}.
 */
@NullMarked
package dev.veil.fakes;

import org.jspecify.annotations.NullMarked;
