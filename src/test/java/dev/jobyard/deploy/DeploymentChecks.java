package dev.jobyard.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.ToIntFunction;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.quarkus.runtime.configuration.DurationConverter;

/**
 * What the manifests promise about the service, checked against the service itself: every probe path is answered
 * 200 by a running Jobyard ({@code probe}), every port is the one it listens on, every environment variable is a
 * setting it reads ({@link KnownSettings}), and the pod outlives its own shutdown. Each problem is returned as a
 * sentence; none means the manifest fits.
 */
final class DeploymentChecks {

    /** Read by the JVM launcher itself rather than by Quarkus. */
    static final Set<String> JVM_VARIABLES = Set.of("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS");
    /** The Secret an operator creates before applying k8s/ or the prod overlay (docs/kubernetes.md), and its keys. */
    static final String DB_SECRET = "jobyard-db";
    static final Set<String> DB_SECRET_KEYS = Set.of("url", "username", "password");
    /**
     * docs/performance.md, W6 with the Deployment's JVM options (-Xms8m -Xmx256m -XX:+UseSerialGC): resident memory
     * idle and at the end of a 20,000-job burst.
     */
    static final long MEASURED_IDLE_RSS = 154L << 20;
    static final long MEASURED_BURST_RSS = 251L << 20;

    private final Manifest manifest;
    private final KnownSettings settings;
    private final ToIntFunction<String> probe;
    private final List<String> problems = new ArrayList<>();

    private DeploymentChecks(Manifest manifest, KnownSettings settings, ToIntFunction<String> probe) {
        this.manifest = manifest;
        this.settings = settings;
        this.probe = probe;
    }

    /** {@code probe} answers the HTTP status a running service gives for a path. */
    static List<String> problems(Manifest manifest, KnownSettings settings, ToIntFunction<String> probe) {
        DeploymentChecks checks = new DeploymentChecks(manifest, settings, probe);
        checks.run();
        return checks.problems;
    }

    private void run() {
        Container container = manifest.service();
        PodSpec pod = manifest.deployment().getSpec().getTemplate().getSpec();
        Map<String, String> env = environment(container);
        ContainerPort http = httpPort(container, env);
        probes(container, http);
        services(http);
        selectors();
        shutdown(pod, env);
        security(container, pod);
        resources(container);
        if (!env.containsKey("QUARKUS_DATASOURCE_REACTIVE_URL") && !env.containsKey("QUARKUS_DATASOURCE_JDBC_URL")) {
            problems.add("no datasource URL is set, so the service would try to start an embedded PostgreSQL");
        }
    }

    /** Every variable the container gets, with its value where the manifest holds it (else null). */
    private Map<String, String> environment(Container container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource source : container.getEnvFrom()) {
            if (source.getConfigMapRef() != null) {
                Optional<ConfigMap> map = manifest.configMap(source.getConfigMapRef().getName());
                if (map.isEmpty()) {
                    problems.add("envFrom names ConfigMap " + source.getConfigMapRef().getName() + ", which is not there");
                } else {
                    env.putAll(map.get().getData());
                }
            } else {
                problems.add("envFrom " + source + ": only ConfigMaps are expected, whose keys can be checked");
            }
        }
        for (EnvVar variable : container.getEnv()) {
            env.put(variable.getName(), variable.getValue());
            if (variable.getValueFrom() != null && variable.getValueFrom().getSecretKeyRef() != null) {
                secretKey(variable.getName(), variable.getValueFrom().getSecretKeyRef());
            }
        }
        env.keySet().stream()
                .filter(name -> !JVM_VARIABLES.contains(name) && settings.keyOfEnv(name).isEmpty())
                .forEach(name -> problems.add("environment variable " + name + " is not a setting the service reads"));
        return env;
    }

    private void secretKey(String variable, SecretKeySelector ref) {
        Optional<Secret> secret = manifest.find(Secret.class, ref.getName());
        if (secret.isPresent()) {
            Map<String, String> keys = new LinkedHashMap<>();
            Optional.ofNullable(secret.get().getData()).ifPresent(keys::putAll);
            Optional.ofNullable(secret.get().getStringData()).ifPresent(keys::putAll);
            if (!keys.containsKey(ref.getKey())) {
                problems.add(variable + " takes key " + ref.getKey() + " of Secret " + ref.getName() + ", which has "
                        + keys.keySet());
            }
        } else if (!ref.getName().equals(DB_SECRET) || !DB_SECRET_KEYS.contains(ref.getKey())) {
            problems.add(variable + " takes " + ref.getName() + "/" + ref.getKey()
                    + ", neither in the manifest nor the documented Secret " + DB_SECRET + " " + DB_SECRET_KEYS);
        }
    }

    private ContainerPort httpPort(Container container, Map<String, String> env) {
        int listens = Integer.parseInt(setting("quarkus.http.port", env));
        List<ContainerPort> ports = container.getPorts();
        if (ports.size() != 1 || !Objects.equals(ports.get(0).getContainerPort(), listens)) {
            problems.add("the container should expose exactly the port the service listens on, " + listens + ", not "
                    + ports.stream().map(ContainerPort::getContainerPort).toList());
        }
        return ports.isEmpty() ? new ContainerPort() : ports.get(0);
    }

    private void probes(Container container, ContainerPort http) {
        Map<String, Probe> probes = new LinkedHashMap<>();
        probes.put("liveness", container.getLivenessProbe());
        probes.put("readiness", container.getReadinessProbe());
        probes.put("startup", container.getStartupProbe());
        probes.forEach((kind, p) -> {
            if (p == null || p.getHttpGet() == null) {
                problems.add("the " + kind + " probe is missing or not an HTTP GET");
                return;
            }
            if (!refersTo(p.getHttpGet().getPort(), http)) {
                problems.add("the " + kind + " probe asks port " + p.getHttpGet().getPort().getValue()
                        + ", the service listens on " + http.getContainerPort());
            }
            String path = p.getHttpGet().getPath();
            int status = probe.applyAsInt(path);
            if (status != 200) {
                problems.add("the " + kind + " probe asks " + path + ", which the service answers with " + status);
            }
        });
    }

    private void services(ContainerPort http) {
        for (Service service : manifest.all(Service.class)) {
            Map<String, String> selector = service.getSpec().getSelector();
            if (!podLabelsMatch(selector)) {
                continue;
            }
            service.getSpec().getPorts().stream().filter(p -> !refersTo(p.getTargetPort(), http))
                    .forEach(p -> problems.add("Service " + service.getMetadata().getName() + " sends port "
                            + p.getPort() + " to " + p.getTargetPort().getValue() + ", the service listens on "
                            + http.getContainerPort()));
        }
        if (manifest.find(Service.class, "jobyard").map(s -> podLabelsMatch(s.getSpec().getSelector())).orElse(false)
                .equals(false)) {
            problems.add("Service jobyard is missing or does not select the Jobyard pods");
        }
    }

    private void selectors() {
        if (!podLabelsMatch(manifest.deployment().getSpec().getSelector().getMatchLabels())) {
            problems.add("the Deployment's selector does not match its own pods");
        }
        for (PodDisruptionBudget budget : manifest.all(PodDisruptionBudget.class)) {
            if (!podLabelsMatch(budget.getSpec().getSelector().getMatchLabels())) {
                problems.add("PodDisruptionBudget " + budget.getMetadata().getName() + " selects no Jobyard pod");
            }
        }
        for (HorizontalPodAutoscaler hpa : manifest.all(HorizontalPodAutoscaler.class)) {
            var target = hpa.getSpec().getScaleTargetRef();
            if (!"Deployment".equals(target.getKind()) || !"jobyard".equals(target.getName())) {
                problems.add("HorizontalPodAutoscaler " + hpa.getMetadata().getName() + " scales " + target.getKind()
                        + "/" + target.getName() + ", not the Deployment");
            }
        }
    }

    private void shutdown(PodSpec pod, Map<String, String> env) {
        Duration needed = duration(setting("jobyard.shutdown.grace-period", env))
                .plus(duration(setting("quarkus.shutdown.timeout", env)));
        Long given = pod.getTerminationGracePeriodSeconds();
        if (given == null || Duration.ofSeconds(given).compareTo(needed) <= 0) {
            problems.add("terminationGracePeriodSeconds " + given + " must exceed jobyard.shutdown.grace-period + "
                    + "quarkus.shutdown.timeout = " + needed.toSeconds() + "s, or SIGKILL cuts off the hand-back");
        }
    }

    private void security(Container container, PodSpec pod) {
        if (pod.getSecurityContext() == null || !Boolean.TRUE.equals(pod.getSecurityContext().getRunAsNonRoot())) {
            problems.add("the pod does not require runAsNonRoot");
        }
        if (container.getSecurityContext() == null
                || !Boolean.TRUE.equals(container.getSecurityContext().getReadOnlyRootFilesystem())) {
            problems.add("the root filesystem is not read-only");
        }
        boolean tmpIsEmptyDir = container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp"))
                .anyMatch(m -> pod.getVolumes().stream()
                        .anyMatch(v -> v.getName().equals(m.getName()) && v.getEmptyDir() != null));
        if (!tmpIsEmptyDir) {
            problems.add("/tmp is not an emptyDir, and the root filesystem is read-only");
        }
        if (!Boolean.FALSE.equals(pod.getAutomountServiceAccountToken())) {
            problems.add("the pod mounts a service account token, and Jobyard never calls the Kubernetes API");
        }
        Optional<ServiceAccount> account = manifest.find(ServiceAccount.class, String.valueOf(pod.getServiceAccountName()));
        if (account.isEmpty() || !Boolean.FALSE.equals(account.get().getAutomountServiceAccountToken())) {
            problems.add("the pod's ServiceAccount " + pod.getServiceAccountName()
                    + " is missing or mounts its token");
        }
    }

    private void resources(Container container) {
        var resources = container.getResources();
        Quantity request = resources == null ? null : resources.getRequests().get("memory");
        Quantity limit = resources == null ? null : resources.getLimits().get("memory");
        if (request == null || limit == null || resources.getRequests().get("cpu") == null) {
            problems.add("memory requests and limits and a CPU request are needed (the HPA scales on CPU)");
            return;
        }
        if (request.getNumericalAmount().longValue() < MEASURED_IDLE_RSS
                || limit.getNumericalAmount().longValue() <= MEASURED_BURST_RSS) {
            problems.add("memory " + request + "/" + limit + " is below what the benchmark measured: "
                    + (MEASURED_IDLE_RSS >> 20) + " MB idle, " + (MEASURED_BURST_RSS >> 20) + " MB after a burst");
        }
    }

    /** The value {@code key} has in the container: its variable, else application.properties, else the default. */
    private String setting(String key, Map<String, String> env) {
        for (Map.Entry<String, String> variable : env.entrySet()) {
            if (variable.getValue() != null && settings.keyOfEnv(variable.getKey()).filter(key::equals).isPresent()) {
                return variable.getValue();
            }
        }
        String configured = APPLICATION_PROPERTIES.getProperty(key);
        if (configured != null) {
            return configured;
        }
        return settings.defaultOf(key).orElseThrow(() -> new AssertionError(key + " has no value and no default"));
    }

    private boolean refersTo(IntOrString port, ContainerPort http) {
        if (port == null) {
            return false;
        }
        return port.getIntVal() != null ? port.getIntVal().equals(http.getContainerPort())
                : port.getStrVal().equals(http.getName());
    }

    private boolean podLabelsMatch(Map<String, String> selector) {
        Map<String, String> labels = manifest.deployment().getSpec().getTemplate().getMetadata().getLabels();
        return selector != null && !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
    }

    private static Duration duration(String value) {
        return DurationConverter.parseDuration(value);
    }

    // The production profile's values: the keys without a %profile prefix.
    private static final Properties APPLICATION_PROPERTIES = new Properties();
    static {
        try (InputStream in = Files.newInputStream(Path.of("src", "main", "resources", "application.properties"))) {
            APPLICATION_PROPERTIES.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
