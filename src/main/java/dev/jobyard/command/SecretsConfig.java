package dev.jobyard.command;

import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithParentName;

/**
 * {@code jobyard.secrets.<name>}: values that payloads refer to as {@code {"secret": "<name>"}}. Where each
 * may be used is {@code jobyard.commands.secrets.<name>.*} ({@link CommandsConfig#secrets()}).
 */
@ConfigMapping(prefix = "jobyard.secrets")
public interface SecretsConfig {

    @WithParentName
    Map<String, String> values();
}
