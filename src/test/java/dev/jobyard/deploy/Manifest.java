package dev.jobyard.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * A set of Kubernetes objects as {@code kubectl apply} would receive them: {@code k8s/kubernetes.yml}, or a
 * kustomization rendered by {@link Kubectl}. Each object is typed by the fabric8 model of its kind, which is
 * generated from the Kubernetes OpenAPI schema; {@link SchemaCheck} holds them to it.
 */
record Manifest(String source, List<HasMetadata> objects) {

    static final Path K8S = Path.of("k8s");
    static final Path KUSTOMIZE = Path.of("kustomize");
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    /** {@code k8s/kubernetes.yml} as committed. */
    static Manifest shipped() {
        return read(K8S.resolve("kubernetes.yml"));
    }

    static Manifest read(Path file) {
        try {
            return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code kubectl kustomize dir}. */
    static Manifest rendered(Path kustomization) {
        return parse(kustomization.toString(), Kubectl.kustomize(kustomization));
    }

    @SuppressWarnings("unchecked")
    static Manifest parse(String source, String yaml) {
        Object parsed = SERIALIZATION.unmarshal(yaml);
        List<HasMetadata> objects;
        if (parsed instanceof List<?> list) {
            objects = (List<HasMetadata>) list;
        } else if (parsed instanceof KubernetesList list) {
            objects = list.getItems();
        } else {
            objects = List.of((HasMetadata) parsed);
        }
        return new Manifest(source, List.copyOf(objects));
    }

    <T extends HasMetadata> List<T> all(Class<T> kind) {
        return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    <T extends HasMetadata> Optional<T> find(Class<T> kind, String name) {
        return all(kind).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst();
    }

    <T extends HasMetadata> T get(Class<T> kind, String name) {
        return find(kind, name).orElseThrow(
                () -> new AssertionError(source + " has no " + kind.getSimpleName() + " named " + name));
    }

    Deployment deployment() {
        return get(Deployment.class, "jobyard");
    }

    /** The Jobyard container of the Deployment. */
    Container service() {
        return deployment().getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> c.getName().equals("jobyard")).findFirst()
                .orElseThrow(() -> new AssertionError(source + ": the Deployment has no container named jobyard"));
    }

    Optional<ConfigMap> configMap(String name) {
        return find(ConfigMap.class, name);
    }

    @Override
    public String toString() {
        return source;
    }
}
