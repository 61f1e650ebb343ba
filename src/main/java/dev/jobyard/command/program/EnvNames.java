package dev.jobyard.command.program;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import dev.jobyard.command.Payload;

/**
 * The environment variables a payload may not set: those that make the dynamic loader, a shell or an
 * interpreter run code of the caller's choosing inside an allow-listed program ({@code LD_PRELOAD} of
 * a downloaded {@code .so} turns {@code echo} into anything), or that pick which program runs
 * ({@code PATH}). docs/security.md lists them.
 */
final class EnvNames {

    /** A portable variable name: nothing else reaches a program's environment. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    static final Set<String> EXACT = Set.of("PATH", "IFS", "ENV", "BASH_ENV", "SHELLOPTS", "BASHOPTS", "PS4", "CDPATH",
            "GLOBIGNORE", "NODE_OPTIONS", "NODE_PATH", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS", "CLASSPATH",
            "GCONV_PATH", "LOCPATH", "NLSPATH", "HOSTALIASES", "RESOLV_HOST_CONF", "GLIBC_TUNABLES", "TMPDIR", "PHPRC",
            "PHP_INI_SCAN_DIR", "EDITOR", "VISUAL", "PAGER", "BROWSER", "SSH_ASKPASS", "SUDO_ASKPASS", "PROMPT_COMMAND",
            "LUA_PATH", "LUA_CPATH", "LUA_INIT", "TCLLIBPATH", "R_PROFILE", "R_PROFILE_USER", "OPENSSL_CONF", "OPENSSL_ENGINES");

    /** Prefixes: a name starting with one of these is refused. */
    static final List<String> PREFIXES = List.of("LD_", "DYLD_", "PYTHON", "PERL5", "PERLLIB", "PERL_", "RUBY", "GEM_",
            "BUNDLE_", "BASH_FUNC_", "GIT_", "MALLOC_", "NPM_CONFIG_", "JAVA_", "JDK_");

    /** Suffixes: a name ending with one of these is refused. */
    static final List<String> SUFFIXES = List.of("_PRELOAD", "_LIBRARY_PATH");

    private EnvNames() {
    }

    static void check(String field, String name) {
        if (!NAME.matcher(name).matches()) {
            throw Payload.bad(field, "'" + name + "' is not a variable name (letters, digits and _, not starting with a digit)");
        }
        String upper = name.toUpperCase(Locale.ROOT);
        boolean refused = EXACT.contains(upper) || PREFIXES.stream().anyMatch(upper::startsWith)
                || SUFFIXES.stream().anyMatch(upper::endsWith);
        if (refused) {
            throw Payload.bad(field, "'" + name + "' may not be set: it changes which code the program loads or runs"
                    + " (loader, shell and interpreter variables and PATH are refused; see docs/security.md)");
        }
    }
}
