package dev.jobyard.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Versions of what was measured: Java (the replicas run on the tool's own java), PostgreSQL, Quarkus, the commit. */
public final class Versions {

    private Versions() {
    }

    public static Map<String, Object> describe(String postgres, String quarkus) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        out.put("postgresql", postgres);
        out.put("quarkus", quarkus);
        out.put("jobyardCommit", commit());
        return out;
    }

    /** {@code git describe}-like: the short commit, with "+uncommitted changes" when the tree is dirty. */
    static String commit() {
        String head = git("rev-parse", "--short=12", "HEAD");
        if (head.isEmpty()) {
            return "unknown (not a git checkout)";
        }
        return git("status", "--porcelain", "--untracked-files=no").isEmpty() ? head : head + " +uncommitted changes";
    }

    private static String git(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "git";
        System.arraycopy(args, 0, command, 1, args.length);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0 ? out : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
