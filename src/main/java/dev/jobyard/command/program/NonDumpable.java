package dev.jobyard.command.program;

import java.util.Optional;

import com.sun.jna.Function;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * Marks this process non-dumpable, {@code prctl(PR_SET_DUMPABLE, 0)}. A program started by a service that is
 * not root runs as the service's own user, and the kernel lets a process of the same user read
 * {@code /proc/<pid>/environ} and attach to it. For a non-dumpable process the kernel makes those files
 * root's and refuses ptrace to anyone without {@code CAP_SYS_PTRACE}, so the program cannot read the
 * service's environment (its credentials) or its memory. The flag is the process's, not a thread's, and a
 * program gets it reset when it executes its own binary, so programs stay ordinary processes.
 */
final class NonDumpable {

    private static final int PR_GET_DUMPABLE = 3;
    private static final int PR_SET_DUMPABLE = 4;

    private NonDumpable() {
    }

    /** Applies the flag and checks that it holds: empty on success, else why it could not be set. */
    static Optional<String> apply() {
        if (!Platform.isLinux()) {
            return Optional.of("prctl(PR_SET_DUMPABLE) exists only on Linux, and this is " + System.getProperty("os.name"));
        }
        try {
            Function prctl = Function.getFunction(Platform.C_LIBRARY_NAME, "prctl", Function.THROW_LAST_ERROR);
            prctl.invokeInt(new Object[] {PR_SET_DUMPABLE, 0L, 0L, 0L, 0L});
            int now = prctl.invokeInt(new Object[] {PR_GET_DUMPABLE, 0L, 0L, 0L, 0L});
            return now == 0 ? Optional.empty() : Optional.of("prctl(PR_GET_DUMPABLE) still answers " + now);
        } catch (LinkageError | RuntimeException e) {
            // LastErrorException (errno), or a build without JNA's native part (a native image without its config).
            return Optional.of("prctl(PR_SET_DUMPABLE, 0) failed: " + e.getMessage()
                    + (e instanceof com.sun.jna.LastErrorException l ? " (errno " + l.getErrorCode() + ")" : "")
                    + "; JNA " + Native.VERSION);
        }
    }
}
