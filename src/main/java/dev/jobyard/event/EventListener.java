package dev.jobyard.event;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.jobyard.database.DatabaseBootstrap;
import dev.jobyard.database.Sql;
import dev.jobyard.node.NodeIdentity;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;

/**
 * LISTENs on a dedicated direct connection (a transaction-mode pooler would drop it) and turns each
 * notification into a {@link Signals} CDI event: job events at once as hints, and, once
 * {@link EventConfirmations} has checked them against the table, as confirmed events and cancels. Reconnects with backoff when the database goes away;
 * at start it checks that its own NOTIFY comes back and says loudly when it does not, in which case
 * workers rely on their fallback poll.
 */
@ApplicationScoped
public class EventListener {

    public static final int STARTUP_PRIORITY = DatabaseBootstrap.STARTUP_PRIORITY + 10;
    private static final Logger LOG = Logger.getLogger(EventListener.class);

    private final dev.jobyard.config.JobyardConfig config;
    private final Vertx vertx;
    private final Sql sql;
    private final EventPublisher publisher;
    private final EventBus bus;
    private final NodeIdentity node;
    private final Event<Signals.JobsChanged> jobsChanged;
    private final EventConfirmations confirmations;
    private final Event<Signals.QueueChanged> queueChanged;
    private final Event<Signals.ListenerConnected> connected;
    private final Event<Signals.Message> messages;
    private final String url;
    private final String username;
    private final String password;

    private PgSubscriber subscriber;
    private final CompletableFuture<Void> pingReturned = new CompletableFuture<>();
    private volatile boolean listening;
    private volatile boolean stopping;

    EventListener(dev.jobyard.config.JobyardConfig config, Vertx vertx, Sql sql, EventPublisher publisher, EventBus bus, NodeIdentity node,
            Event<Signals.JobsChanged> jobsChanged, EventConfirmations confirmations,
            Event<Signals.QueueChanged> queueChanged, Event<Signals.ListenerConnected> connected,
            Event<Signals.Message> messages,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username", defaultValue = "postgres") String username,
            @ConfigProperty(name = "quarkus.datasource.password") java.util.Optional<String> password) {
        this.config = config;
        this.vertx = vertx;
        this.sql = sql;
        this.publisher = publisher;
        this.bus = bus;
        this.node = node;
        this.jobsChanged = jobsChanged;
        this.confirmations = confirmations;
        this.queueChanged = queueChanged;
        this.connected = connected;
        this.messages = messages;
        this.url = url;
        this.username = username;
        this.password = password.orElse(null);
    }

    void onStart(@Observes @Priority(STARTUP_PRIORITY) StartupEvent event) {
        String listenUrl = config.listen().url().orElse(url).replaceFirst("^vertx-reactive:", "");
        PgConnectOptions options = PgConnectOptions.fromUri(listenUrl);
        // Credentials in the URL win; otherwise the datasource's (fromUri would fill in Vert.x's own defaults).
        if (!listenUrl.contains("@")) {
            options.setUser(username).setPassword(password);
        }
        subscriber = PgSubscriber.subscriber(vertx, options);
        // Keep trying for as long as the service runs: 100 ms, doubling, at most 5 s apart.
        subscriber.reconnectPolicy(retries -> Math.min(5000L, 100L << Math.min(retries, 6)));
        subscriber.closeHandler(v -> {
            listening = false;
            if (!stopping) {
                LOG.warn("Lost the LISTEN connection; reconnecting. Workers poll until it is back.");
            }
        });
        subscriber.channel(EventChannel.NAME)
                .subscribeHandler(v -> {
                    listening = true;
                    connected.fire(new Signals.ListenerConnected());
                })
                .handler(this::dispatch);
        subscriber.channel(EventChannel.WATCH).handler(payload -> {
            if (bus.hasWatchers()) {
                dispatch(payload);
            }
        });
        CompletableFuture<Void> connectedOnce = new CompletableFuture<>();
        subscriber.connect(ar -> {
            if (ar.succeeded()) {
                connectedOnce.complete(null);
            } else {
                connectedOnce.completeExceptionally(ar.cause());
            }
        });
        try {
            connectedOnce.get(30, TimeUnit.SECONDS);
            publisher.ping(sql, node.id());
            pingReturned.get(5, TimeUnit.SECONDS);
            LOG.debug("LISTEN/NOTIFY round trip verified");
        } catch (Exception e) {
            LOG.errorf("LISTEN/NOTIFY does not work on this connection path (%s). Is a transaction-mode pooler in "
                    + "front of PostgreSQL? Jobyard falls back to polling every jobyard.worker.poll-interval; "
                    + "point the datasource at PostgreSQL directly or at a session-mode pooler.", e.toString());
        }
    }

    void onStop(@Observes @Priority(Integer.MAX_VALUE - 10) ShutdownEvent event) {
        stopping = true;
        if (subscriber != null) {
            // Wait for it: a close still in flight when Vert.x stops its event loops made netty log an
            // ERROR (a rejected close notification) during an otherwise clean shutdown.
            try {
                subscriber.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.debugf("The LISTEN connection did not close cleanly (%s)", e.toString());
            }
        }
    }

    public boolean isListening() {
        return listening;
    }

    private void dispatch(String payload) {
        try {
            JsonObject message = new JsonObject(payload);
            switch (message.getString("type", "")) {
                case EventChannel.TYPE_JOBS -> {
                    JsonArray array = message.getJsonArray("events");
                    List<JobEvent> events = new ArrayList<>(array.size());
                    for (int i = 0; i < array.size(); i++) {
                        events.add(JobEvent.fromJson(array.getJsonObject(i)));
                    }
                    jobsChanged.fire(new Signals.JobsChanged(events));
                    confirmations.jobs(events);
                }
                case EventChannel.TYPE_CANCEL -> confirmations.cancel(message.getLong("id"));
                case EventChannel.TYPE_QUEUE -> queueChanged.fire(
                        new Signals.QueueChanged(message.getString("name"), message.getBoolean("paused")));
                case EventChannel.TYPE_PING -> {
                    if (node.id().equals(message.getString("node"))) {
                        pingReturned.complete(null);
                    }
                }
                default -> {
                    Signals.Message other = new Signals.Message(message.getString("type"),
                            message.getJsonArray("events", new JsonArray()));
                    confirmations.inOrder(() -> messages.fire(other));
                }
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "Could not handle notification %s", payload);
        }
    }
}
