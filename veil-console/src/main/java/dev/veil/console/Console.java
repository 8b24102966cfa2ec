package dev.veil.console;

import dev.veil.admin.AdminServices;
import dev.veil.console.dictionary.DictionaryLearner;
import dev.veil.console.traffic.PhiCounts;
import dev.veil.console.traffic.RecentEvents;
import dev.veil.console.traffic.Timeline;
import dev.veil.console.traffic.TrafficRecorder;
import dev.veil.console.web.Assets;
import dev.veil.console.web.ConsoleArea;
import dev.veil.console.web.ConsoleRoutes;
import dev.veil.console.web.Templates;
import dev.veil.core.engine.Decision;
import dev.veil.core.event.RawEvent;
import dev.veil.store.DictionaryStore;
import dev.veil.store.EventLog;
import io.javalin.config.JavalinConfig;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console in a running server: its pages under {@value ConsoleRoutes#BASE} (mounted with {@link #mount}),
 * the data dictionary learner reading the event log, the traffic recorder fed by delivery ({@link #evaluated}),
 * and the Overview's sampler. Built once per process over the admin services; {@link #start} starts its threads,
 * {@link #close} stops them and closes the dictionary store.
 */
public final class Console implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Console.class);

    /**
     * @param recentEvents how many recent events the live debugger keeps in memory
     * @param alwaysSecureCookies mark the session cookie {@code Secure} on plain HTTP too (behind a TLS proxy)
     * @param sampleEverySeconds how often the Overview samples the running totals
     */
    public record Options(int recentEvents, boolean alwaysSecureCookies, int sampleEverySeconds) {
        public static final Options DEFAULTS = new Options(200, false, 5);
    }

    private final ConsoleParts parts;
    private final DictionaryLearner learner;
    private final Supplier<Timeline.Counts> counts;
    private final Options options;
    private final ConsoleRoutes routes;
    private final Assets assets = new Assets();
    private final ScheduledExecutorService sampler;

    private Console(
            AdminServices services,
            DictionaryStore dictionary,
            EventLog log,
            Clock clock,
            Supplier<Timeline.Counts> counts,
            Options options,
            List<ConsoleArea> extraAreas) {
        RecentEvents recent = new RecentEvents(options.recentEvents());
        PhiCounts phi = new PhiCounts();
        TrafficRecorder traffic = new TrafficRecorder(dictionary, recent, phi, TrafficRecorder.Options.DEFAULTS, clock);
        this.parts = new ConsoleParts(services, dictionary, recent, phi, traffic, new Timeline(), clock);
        this.learner = new DictionaryLearner(log, dictionary, DictionaryLearner.Options.DEFAULTS);
        this.counts = counts;
        this.options = options;
        this.routes = new ConsoleRoutes(services, new Templates(), options.alwaysSecureCookies());
        List<ConsoleArea> areas = new ArrayList<>(ConsoleAreas.all(parts));
        areas.addAll(extraAreas);
        areas.forEach(a -> a.register(routes));
        this.sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "veil-console-sampler");
            t.setDaemon(true);
            return t;
        });
    }

    /** A console over the admin services, the dictionary store and the event log it learns from. */
    public static Builder builder(AdminServices services, DictionaryStore dictionary, EventLog log, Clock clock) {
        return new Builder(services, dictionary, log, clock);
    }

    /** What the areas work with (tests drive the recorder and learner through it). */
    public ConsoleParts parts() {
        return parts;
    }

    /** The dictionary learner (tests call {@link DictionaryLearner#learnOnce()} instead of waiting). */
    public DictionaryLearner learner() {
        return learner;
    }

    /** The route table. */
    public ConsoleRoutes routes() {
        return routes;
    }

    /** Puts the console's pages and assets on {@code c}. */
    public void mount(JavalinConfig c) {
        assets.mount(c);
        routes.mount(c);
    }

    /**
     * Delivery's decisions about a batch for one destination (the server's delivery observer calls this): counted
     * on the console's own thread; never blocks.
     */
    public void evaluated(String destinationId, List<RawEvent> events, List<@Nullable Decision> decisions) {
        parts.traffic().evaluated(destinationId, events, decisions);
    }

    /** Samples the running totals now (also done every few seconds once started). */
    public void sample() {
        try {
            parts.timeline().sample(parts.clock().instant(), counts.get());
        } catch (RuntimeException e) {
            LOG.warn("console sampler: {}", e.getClass().getSimpleName());
        }
    }

    public Console start() {
        learner.start();
        parts.traffic().start();
        sample();
        sampler.scheduleAtFixedRate(
                this::sample, options.sampleEverySeconds(), options.sampleEverySeconds(), TimeUnit.SECONDS);
        return this;
    }

    @Override
    public void close() {
        sampler.shutdownNow();
        learner.close();
        parts.traffic().close();
        parts.dictionary().close();
    }

    /** Builds a {@link Console}. */
    public static final class Builder {
        private final AdminServices services;
        private final DictionaryStore dictionary;
        private final EventLog log;
        private final Clock clock;
        private Supplier<Timeline.Counts> counts = () -> Timeline.Counts.ZERO;
        private Options options = Options.DEFAULTS;
        private final List<ConsoleArea> areas = new ArrayList<>();

        private Builder(AdminServices services, DictionaryStore dictionary, EventLog log, Clock clock) {
            this.services = services;
            this.dictionary = dictionary;
            this.log = log;
            this.clock = clock;
        }

        /** The server's running totals for the Overview (none by default). */
        public Builder counts(Supplier<Timeline.Counts> c) {
            this.counts = c;
            return this;
        }

        public Builder options(Options o) {
            this.options = o;
            return this;
        }

        /** An extra area (tests). */
        public Builder area(ConsoleArea a) {
            this.areas.add(a);
            return this;
        }

        public Console build() {
            return new Console(services, dictionary, log, clock, counts, options, areas);
        }
    }
}
