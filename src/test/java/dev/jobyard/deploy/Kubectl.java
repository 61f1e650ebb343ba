package dev.jobyard.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Renders a kustomization with {@code kubectl kustomize}, offline. kubectl is a test prerequisite like PostgreSQL:
 * without it the manifest tests fail, never skip. {@code $KUBECTL} names it if it is not on the PATH; .ci/run installs
 * Debian's kubernetes-client (kubectl 1.20, kustomize 2.0.3) when none is there, which is why kustomize/ uses only
 * what kustomize 2.0.3 understands.
 */
final class Kubectl {

    private Kubectl() {
    }

    /** The objects {@code kubectl kustomize dir} prints. */
    static String kustomize(Path dir) {
        String kubectl = find();
        try {
            Path err = Files.createTempFile("kustomize", ".err");
            Process process = new ProcessBuilder(kubectl, "kustomize", dir.toString())
                    .redirectError(err.toFile()).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError(kubectl + " kustomize " + dir + " failed:\n" + Files.readString(err));
            }
            Files.delete(err);
            return out;
        } catch (IOException e) {
            throw new AssertionError("could not run " + kubectl, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String find() {
        String configured = System.getenv("KUBECTL");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(dir -> Path.of(dir, "kubectl")).filter(Files::isExecutable).findFirst()
                .map(Path::toString)
                .orElseThrow(() -> new AssertionError("kubectl is needed to render kustomize/ and was not found on the "
                        + "PATH (nor set as $KUBECTL). On Debian: apt-get install kubernetes-client; .ci/run does this. "
                        + "Any kubectl from 1.14 on will do: " + List.of("kubectl kustomize kustomize/overlays/prod")));
    }
}
