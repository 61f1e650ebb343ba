package dev.jobyard.command;

import dev.jobyard.common.BadInputException;

/** The one refusal for a command that configuration does not allow: it names the setting that would. */
public final class CommandRules {

    private CommandRules() {
    }

    public static void requireEnabled(boolean enabled, String kind, String key) {
        if (!enabled) {
            throw new BadInputException("kind", "'" + kind + "' jobs are disabled on this service; an operator enables them with "
                    + key + "=true");
        }
    }
}
