package dev.jobyard.command.program;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import org.jboss.logging.Logger;

import dev.jobyard.command.CappedOutput;
import dev.jobyard.command.Secrets;
import io.vertx.core.json.JsonObject;

/**
 * One started program: its output drained by pump threads into capped buffers, and a wait that kills
 * the program and every process below it when the job's thread is interrupted (timeout, cancel,
 * shutdown). {@link ProgramSandbox} decides its environment and the user it runs as.
 */
public final class RunningProgram implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RunningProgram.class);

    private final ProgramSpec spec;
    private final Process process;
    private final CappedOutput stdout;
    private final CappedOutput stderr;
    private final Thread stdoutPump;
    private final Thread stderrPump;
    private final UnaryOperator<String> mask;

    private RunningProgram(ProgramSpec spec, Process process, CappedOutput stdout, CappedOutput stderr,
            Thread stdoutPump, Thread stderrPump, UnaryOperator<String> mask) {
        this.spec = spec;
        this.mask = mask;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.stdoutPump = stdoutPump;
        this.stderrPump = stderrPump;
    }

    /**
     * Starts the program. With {@code captureStdout} its stdout goes to a capped buffer, else the caller
     * reads {@link #stdout()}; with {@code feedStdin} the payload's {@code stdin} is written, else the
     * caller writes {@link #stdin()}.
     */
    public static RunningProgram start(ProgramSpec spec, ProgramSandbox sandbox, Secrets secrets, int cap, boolean captureStdout,
            boolean feedStdin) throws IOException {
        ProcessBuilder builder = sandbox.builder(spec, secrets);
        if (spec.cwd() != null) {
            builder.directory(spec.cwd().toFile());
        }
        if (feedStdin && spec.stdin() == null) {
            builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        Process process = builder.start();
        String name = "program-" + process.pid();
        CappedOutput out = captureStdout ? new CappedOutput(cap) : null;
        CappedOutput err = new CappedOutput(cap);
        Thread outPump = captureStdout ? pump(name + "-stdout", process.getInputStream(), out) : null;
        Thread errPump = pump(name + "-stderr", process.getErrorStream(), err);
        if (feedStdin && spec.stdin() != null) {
            feed(name + "-stdin", process.getOutputStream(), spec.stdin());
        }
        return new RunningProgram(spec, process, out, err, outPump, errPump, secrets.masker(spec.env().values()));
    }

    public OutputStream stdin() {
        return process.getOutputStream();
    }

    public InputStream stdout() {
        return process.getInputStream();
    }

    public long pid() {
        return process.pid();
    }

    /** Waits for the exit code; if interrupted, kills the process tree and rethrows. */
    public int waitFor() throws InterruptedException {
        try {
            int exit = process.waitFor();
            // What is left in the pipes after the exit is still the program's output.
            joinPumps();
            return exit;
        } catch (InterruptedException e) {
            killTree();
            throw e;
        }
    }

    /** Kills the program and all its descendants, collected first so that none is reparented away unseen. */
    public void killTree() {
        List<ProcessHandle> tree = process.descendants().toList();
        process.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
        try {
            process.onExit().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warnf("Program %d did not exit within 5s of SIGKILL", process.pid());
        }
    }

    /**
     * {@code command}, {@code args}, {@code exitCode} (when exited), {@code stdout} and {@code stderr} with
     * their sizes; secret values the program got in its environment are masked in what it printed.
     */
    public JsonObject output(Integer exitCode) {
        JsonObject output = spec.describe();
        if (exitCode != null) {
            output.put("exitCode", exitCode);
        }
        if (stdout != null) {
            stdout.putInto(output, "stdout", mask);
        }
        return stderr.putInto(output, "stderr", mask);
    }

    private void joinPumps() throws InterruptedException {
        for (Thread pump : new Thread[] { stdoutPump, stderrPump }) {
            if (pump != null) {
                // A background child may hold the pipe open after the program exits; its output is not waited for.
                pump.join(TimeUnit.SECONDS.toMillis(5));
            }
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            killTree();
        }
    }

    private static Thread pump(String name, InputStream in, CappedOutput into) {
        Thread thread = new Thread(() -> {
            try (in) {
                into.drain(in);
            } catch (IOException e) {
                // The process was killed: its pipe closed under the pump.
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void feed(String name, OutputStream out, String text) {
        Thread thread = new Thread(() -> {
            try (out) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // The program exited without reading all of its stdin; that is its choice.
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }
}
