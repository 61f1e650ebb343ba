package dev.jobyard.deploy;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.quarkus.test.junit.QuarkusTest;

/**
 * k8s/ and every kustomize overlay, rendered offline with kubectl, hold to the Kubernetes schema and fit the service
 * as it runs here: the probes are asked of this running Jobyard, the environment variables are looked up among the
 * settings its configuration classes read (see {@link DeploymentChecks}).
 */
@QuarkusTest
class DeploymentManifestsTest {

    static Stream<Manifest> everyDeployable() {
        return Stream.of(Manifest.shipped(), Manifest.rendered(Manifest.KUSTOMIZE.resolve("base")),
                Manifest.rendered(overlay("dev")), Manifest.rendered(overlay("prod")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyDeployable")
    void everyObjectFollowsTheKubernetesSchema(Manifest manifest) {
        assertFalse(manifest.objects().isEmpty(), manifest + " renders nothing");
        assertEquals(List.of(), SchemaCheck.violations(manifest));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyDeployable")
    void theServiceServesAndReadsWhatTheManifestsUse(Manifest manifest) {
        assertEquals(List.of(), DeploymentChecks.problems(manifest, KnownSettings.load(), DeploymentManifestsTest::status));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyDeployable")
    void theImageIsTheOneNamedInApplicationProperties(Manifest manifest) {
        assertEquals(Manifest.shipped().service().getImage(), manifest.service().getImage());
        assertTrue(manifest.service().getImage().startsWith("jobyard/jobyard:"), manifest.service().getImage());
    }

    @Test
    void k8sShipsThreeReplicasThatRollOneAtATime() {
        Deployment deployment = Manifest.shipped().deployment();
        assertEquals(3, deployment.getSpec().getReplicas());
        assertEquals(new IntOrString("0"), deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable());
    }

    @Test
    void theBaseIsExactlyK8s() {
        assertEquals(byName(Manifest.shipped()), byName(Manifest.rendered(Manifest.KUSTOMIZE.resolve("base"))));
    }

    @Test
    void devRunsOneReplicaOnItsOwnPostgres() {
        Manifest dev = Manifest.rendered(overlay("dev"));
        assertEquals(1, dev.deployment().getSpec().getReplicas());
        StatefulSet postgres = dev.get(StatefulSet.class, "jobyard-postgres");
        assertEquals(1, postgres.getSpec().getReplicas());
        Service postgresService = dev.get(Service.class, "jobyard-postgres");
        assertEquals(5432, postgresService.getSpec().getPorts().get(0).getPort());
        assertEquals(postgres.getSpec().getTemplate().getMetadata().getLabels(), postgresService.getSpec().getSelector());
        Secret credentials = dev.get(Secret.class, DeploymentChecks.DB_SECRET);
        assertEquals(DeploymentChecks.DB_SECRET_KEYS, credentials.getData().keySet());
        assertEquals("postgresql://jobyard-postgres:5432/jobyard", decode(credentials.getData().get("url")));
    }

    @Test
    void prodLeavesTheReplicaCountToAnHpaOnCpuFromThree() {
        Manifest prod = Manifest.rendered(overlay("prod"));
        assertNull(prod.deployment().getSpec().getReplicas(), "the HPA owns the count; apply must not reset it");
        HorizontalPodAutoscaler hpa = prod.get(HorizontalPodAutoscaler.class, "jobyard");
        assertEquals(3, hpa.getSpec().getMinReplicas());
        assertEquals("cpu", hpa.getSpec().getMetrics().get(0).getResource().getName());
        assertTrue(prod.find(Secret.class, DeploymentChecks.DB_SECRET).isEmpty(),
                "prod takes the database URL and credentials from a Secret the operator creates");
        assertTrue(prod.find(StatefulSet.class, "jobyard-postgres").isEmpty());
    }

    @Test
    void theChecksRejectAProbePathPortOrVariableTheServiceDoesNotHave() {
        Manifest broken = Manifest.shipped();
        var container = broken.service();
        container.getLivenessProbe().getHttpGet().setPath("/q/health/alive");
        container.getReadinessProbe().getHttpGet().setPort(new IntOrString(9090));
        container.getEnv().add(new EnvVarBuilder().withName("JOBYARD_LEASE_TIMEOUTS").withValue("30s").build());
        broken.deployment().getSpec().getTemplate().getSpec().setTerminationGracePeriodSeconds(30L);

        String problems = String.join("\n", DeploymentChecks.problems(broken, KnownSettings.load(),
                DeploymentManifestsTest::status));

        assertTrue(problems.contains("/q/health/alive, which the service answers with 404"), problems);
        assertTrue(problems.contains("readiness probe asks port 9090"), problems);
        assertTrue(problems.contains("JOBYARD_LEASE_TIMEOUTS is not a setting the service reads"), problems);
        assertTrue(problems.contains("terminationGracePeriodSeconds 30 must exceed"), problems);
    }

    @Test
    void theSchemaCheckRejectsUnknownFieldsAndKinds() {
        Manifest broken = Manifest.parse("broken", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: jobyard}
                spec:
                  replica: 3
                  template: {spec: {containers: [{name: jobyard, image: x, livenessProbe: {httpGet: {pathh: /}}}]}}
                ---
                apiVersion: example.com/v1
                kind: Jobyard
                metadata: {name: jobyard}
                """);

        assertEquals(Set.of(
                "Deployment/jobyard.spec: fields not in the schema of DeploymentSpec: [replica]",
                "Deployment/jobyard.spec.template.spec.containers[0].livenessProbe.httpGet: fields not in the schema of HTTPGetAction: [pathh]",
                "Jobyard/jobyard: example.com/v1 Jobyard is not a Kubernetes kind"),
                Set.copyOf(SchemaCheck.violations(broken)));
    }

    private static int status(String path) {
        return given().get(path).statusCode();
    }

    private static Path overlay(String name) {
        return Manifest.KUSTOMIZE.resolve("overlays").resolve(name);
    }

    // The model classes compare field by field, maps regardless of order.
    private static Map<String, HasMetadata> byName(Manifest manifest) {
        return manifest.objects().stream()
                .collect(Collectors.toMap(o -> o.getKind() + "/" + o.getMetadata().getName(), o -> o));
    }

    private static String decode(String base64) {
        return new String(java.util.Base64.getDecoder().decode(base64), java.nio.charset.StandardCharsets.UTF_8);
    }

}
