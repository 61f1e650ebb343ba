package dev.jobyard.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Every {@code jobyard.*} setting, with its default. docs/configuration.md describes each one. */
@ConfigMapping(prefix = "jobyard")
public interface JobyardConfig {

    /** Name of this replica in leases, history and the {@code workers} query; generated when unset. */
    Optional<String> nodeId();

    /**
     * pg_timetable's {@code --clientname}: this replica also runs chain runs meant for this client name. Runs without
     * one go to any replica; a run with one waits, PENDING, until a replica with that name claims it.
     */
    Optional<String> clientName();

    /** How long a running job's lease lasts without renewal before the rescuer may take it back. */
    @WithDefault("30s")
    Duration leaseTimeout();

    /**
     * How long before a lease could expire a worker must have given up the job: it abandons a handler whose
     * lease it could not renew at {@code last renewal + lease-timeout - 1.5 x margin}, so ahead of
     * {@code lease-timeout - margin} (see {@link LeaseTimes}). Unset: a sixth of the lease.
     */
    Optional<Duration> leaseMargin();

    /**
     * Statement timeout of the engine's hot path (claim, lease renewal, completion), enforced by the server.
     * Must be shorter than {@code lease-timeout - 2 x margin}. Unset: three quarters of that.
     */
    Optional<Duration> statementTimeout();

    /** How often this replica renews leases and reports itself in {@code worker_node}. */
    @WithDefault("5s")
    Duration heartbeatInterval();

    Retry retry();

    History history();

    Idempotency idempotency();

    Worker worker();

    Leader leader();

    Limits limits();

    Api api();

    Shutdown shutdown();

    Embedded embedded();

    Listen listen();

    Schedules schedules();

    Auth auth();

    /** Per-queue settings: {@code jobyard.queues.<name>.concurrency}. */
    Map<String, QueueSettings> queues();

    interface Retry {
        @WithDefault("1s")
        Duration baseDelay();

        @WithDefault("1h")
        Duration maxDelay();
    }

    interface History {
        @WithDefault("30d")
        Duration retention();

        @WithDefault("1h")
        Duration cleanupInterval();
    }

    interface Idempotency {
        /**
         * How long an idempotency key answers with its job: a create with the same key within this window
         * never makes a second job, even if the job's history was removed meanwhile (by retention or
         * cleanupHistory). A key whose job is still pending or running is kept beyond it.
         */
        @WithDefault("24h")
        Duration keyRetention();
    }

    interface Worker {
        /** Fallback poll when no notification arrives; wake-ups normally come by LISTEN/NOTIFY. */
        @WithDefault("5s")
        Duration pollInterval();

        /** Concurrency of a queue that has no {@code jobyard.queues.<name>.concurrency}. */
        @WithDefault("8")
        int defaultConcurrency();

        /** Most jobs one claim statement takes (it takes at most as many as there are idle workers). */
        @WithDefault("200")
        int claimBatchSize();

        /**
         * Most claimed jobs each queue may hold waiting for a free worker thread, so that a flood of
         * short jobs is claimed in large batches. The queue holds only what its workers finish within
         * {@link #prefetchHorizon()} at their current rate, so slow jobs are not hoarded. Waiting jobs
         * count as RUNNING (and hold a lease). 0 claims only for idle threads.
         */
        @WithDefault("400")
        int prefetch();

        /** How far ahead of its workers a queue claims: jobs wait at most about this long for a thread. */
        @WithDefault("20ms")
        Duration prefetchHorizon();

        /**
         * Most finished jobs written in one completer transaction: large batches write floods of results
         * with few round trips.
         */
        @WithDefault("500")
        int completeBatchSize();

        /**
         * Most successes of jobs that others wait for written in one completer transaction. They are
         * written before any other result, since a dependent starts only once its dependency's
         * transaction commits: smaller transactions start dependents sooner.
         */
        @WithDefault("50")
        int releaseBatchSize();

        /**
         * Threads writing results, each in its own transactions: a flow's tasks spread over all of them by run,
         * every other result on the first. A workflow's advance waits for its statements' round trips: a second
         * writer overlaps them.
         */
        @WithDefault("2")
        int completerThreads();

        /**
         * Whether a job created through this replica starts at once on one of its idle worker threads for the
         * job's queue: it is inserted already claimed, saving the notification and the claim. Off, every new
         * job waits for a claim, which may come from any replica.
         */
        @WithDefault("true")
        boolean startOnCreate();

        /**
         * Most queues not named in {@code jobyard.queues} that this replica serves at once. They share one
         * fetcher thread; each has up to {@link #defaultConcurrency()} worker threads while it has work. A queue
         * beyond the bound waits until a served one goes idle (every replica applies its own bound).
         */
        @WithDefault("32")
        int maxUnconfiguredQueues();

        /**
         * How long a worker thread, and an unconfigured queue's place, stay unused before they are given back.
         * An idle queue also gives its place at once to a queue that waits for one.
         */
        @WithDefault("30s")
        Duration queueIdleTimeout();

        /**
         * How often a replica looks for queues with ready jobs whose notification it missed (a skip scan of the
         * runnable index that reads one entry per queue). It also looks at start-up and when LISTEN reconnects.
         */
        @WithDefault("30s")
        Duration queueDiscoveryInterval();

        /** Whether this replica runs jobs at all (an API-only replica sets false). */
        @WithDefault("true")
        boolean enabled();
    }

    interface Leader {
        /** Whether this replica may lead (fire schedules, rescue, clean up); false for API-only replicas. */
        @WithDefault("true")
        boolean enabled();

        @WithDefault("15s")
        Duration leaseTime();

        @WithDefault("5s")
        Duration renewInterval();

        /** How often the leader looks for expired job leases. */
        @WithDefault("5s")
        Duration rescueInterval();
    }

    interface Limits {
        @WithDefault("1048576")
        int maxPayloadBytes();

        /** Most jobs one request creates, all createJob and createJobs fields of the request together. */
        @WithDefault("5000")
        int maxBatchSize();

        /** Longest job description, in characters. */
        @WithDefault("10000")
        int maxDescriptionLength();

        /** Largest {@code labels} object, in UTF-8 bytes of its JSON. */
        @WithDefault("16384")
        int maxLabelsBytes();

        /** Longest cancel reason, in characters (it travels in a NOTIFY payload, which PostgreSQL caps at 8000 bytes). */
        @WithDefault("1000")
        int maxReasonLength();
    }

    /** What one GraphQL request or socket may cost; docs/graphql.md, "Limits". */
    interface Api {
        /** Deepest selection set (fields within fields, fragments expanded). */
        @WithDefault("15")
        int maxQueryDepth();

        /** Most fields one operation selects, fragments expanded. */
        @WithDefault("1000")
        int maxQueryComplexity();

        /** Most aliased fields in one operation. */
        @WithDefault("30")
        int maxAliases();

        /** Most bytes of text and JSON one response may carry; the fields beyond are answered with an error. */
        @WithDefault("16777216")
        int maxResponseBytes();

        /** Deepest nesting of JSON objects and arrays in a request body, its variables or a socket message. */
        @WithDefault("64")
        int maxJsonDepth();

        /** Longest text in any argument, in characters (payload and labels have their own limits). */
        @WithDefault("65536")
        int maxTextLength();

        /** Most operations one WebSocket runs at once; one more closes it with 4413. */
        @WithDefault("256")
        int maxSubscriptionsPerSocket();

        /** Most WebSockets open at once from one client address; one more is refused with 429. */
        @WithDefault("16")
        int maxSocketsPerClient();

        /** Most messages waiting to be written to one socket or one subscription; one more closes the socket with 4503. */
        @WithDefault("1000")
        int maxQueuedMessages();

        /** Whether {@code __schema} and {@code __type} may be queried. */
        @WithDefault("true")
        boolean introspection();
    }

    interface Shutdown {
        /** How long running jobs may finish after SIGTERM before they are handed back. */
        @WithDefault("20s")
        Duration gracePeriod();
    }

    interface Schedules {
        /** A slot later than this when the leader gets to it counts as missed (downtime) and follows the misfire policy. */
        @WithDefault("60s")
        Duration misfireThreshold();

        /** Most missed slots a CATCH_UP schedule fires after downtime; older ones are skipped. */
        @WithDefault("100")
        int catchUpLimit();
    }

    interface Listen {
        /**
         * A direct PostgreSQL URL for the LISTEN connection, when the datasource goes through a pooler in
         * transaction mode (which drops LISTEN). Defaults to the reactive datasource URL.
         */
        Optional<String> url();
    }

    interface Embedded {
        /** Where the embedded PostgreSQL keeps its data (used only when no datasource URL is set). */
        @WithDefault("./.jobyard/pg")
        String dataDir();

        @WithDefault("54329")
        int port();
    }

    /** Who may call the API and what each caller may do; docs/security.md. */
    interface Auth {
        /**
         * Whether callers must present credentials. Unset, the dev and test profiles run open (with a warning) and
         * the prod profile refuses to start: an operator decides, {@code true} or {@code false}.
         */
        Optional<Boolean> enabled();

        /** The {@code iss} that bearer JWTs must carry; with {@link #jwksUrl()} this turns token checking on. */
        Optional<String> issuer();

        /** Where the provider publishes its signing keys (a JWKS document), fetched and refreshed by the service. */
        Optional<String> jwksUrl();

        /** The {@code aud} a token must name, when set. */
        Optional<String> audience();

        /** The claim holding a token's roles; a dotted path such as {@code realm_access.roles} reaches into objects. */
        @WithDefault("groups")
        String rolesClaim();

        /** The claim holding a token's queue grants (names, or prefixes ending in {@code *}); absent: every queue. */
        @WithDefault("jobyard_queues")
        String queuesClaim();

        /** An admin key given in configuration, to create the first keys without a token provider. */
        Optional<String> bootstrapAdminKey();

        /** How long a replica trusts an API key it looked up (a revocation on another replica takes this long). */
        @WithDefault("10s")
        Duration keyCacheTtl();

        /** How often the last use of API keys is written (one statement for all keys used meanwhile). */
        @WithDefault("60s")
        Duration lastUsedInterval();

        /** Job kinds that only admins may create (in jobs, schedules and anything else with a {@code kind}). */
        @WithDefault("sql,program,copy_from_file,copy_to_file,copy_from_program,copy_to_program,shutdown")
        java.util.List<String> adminKinds();

        /** How long audit records are kept. */
        @WithDefault("90d")
        Duration auditRetention();

        /** Mutations one caller may make per minute, by role; 0 means no limit. */
        RateLimits rateLimits();
    }

    interface RateLimits {
        @WithDefault("0")
        int viewer();

        @WithDefault("600")
        int operator();

        @WithDefault("0")
        int admin();
    }

    interface QueueSettings {
        Optional<Integer> concurrency();
    }
}
