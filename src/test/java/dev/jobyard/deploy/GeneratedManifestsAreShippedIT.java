package dev.jobyard.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * k8s/kubernetes.yml is what quarkus-kubernetes generates from application.properties and
 * src/main/kubernetes/kubernetes.yml, byte for byte. Runs after {@code package}, which writes the generated file;
 * when a setting changed, copy it over: {@code cp target/kubernetes/kubernetes.yml k8s/}.
 */
class GeneratedManifestsAreShippedIT {

    private static final Path GENERATED = Path.of("target", "kubernetes", "kubernetes.yml");

    @Test
    void k8sHoldsExactlyWhatThePackageGenerated() throws IOException {
        assertTrue(Files.isRegularFile(GENERATED), GENERATED + " is missing: run ./mvnw verify, which packages first");

        String generated = Files.readString(GENERATED);
        String shipped = Files.readString(Manifest.K8S.resolve("kubernetes.yml"));

        assertEquals(generated, shipped, "k8s/kubernetes.yml differs from what ./mvnw package generated; "
                + "if the change is intended: cp target/kubernetes/kubernetes.yml k8s/");
    }
}
