package dev.jobyard.command.program;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.jobyard.command.ConfinedPaths;
import dev.jobyard.command.Payload;
import dev.jobyard.command.ProgramGuard;
import dev.jobyard.command.Secrets;
import io.vertx.core.json.JsonObject;

/**
 * A program to run, as a payload gives it: {@code command}, {@code args}, {@code cwd}, {@code env},
 * {@code stdin}. Checked against the allow-list when the job is created and again when it runs.
 */
public record ProgramSpec(String command, List<String> args, Path cwd, Map<String, Object> env, String stdin) {

    /** Env values may be {@code {"secret": "name"}}, resolved only when the program starts. */
    public static ProgramSpec read(String kind, JsonObject json, ProgramGuard guard, ConfinedPaths directories, Secrets secrets) {
        Payload payload = Payload.of(json);
        String command = guard.check("command", payload.optionalString("command"));
        List<String> args = payload.strings("args");
        String cwd = payload.optionalString("cwd");
        Map<String, Object> env = new java.util.LinkedHashMap<>();
        JsonObject envJson = payload.object("env");
        for (String name : envJson.fieldNames()) {
            EnvNames.check("env." + name, name);
            secrets.validate("env." + name, envJson.getValue(name), false, new Secrets.Use(kind, null));
            env.put(name, envJson.getValue(name));
        }
        return new ProgramSpec(command, args, cwd == null ? null : directories.checkDirectory("cwd", cwd), env,
                payload.optionalString("stdin"));
    }

    List<String> commandLine() {
        List<String> line = new ArrayList<>(args.size() + 1);
        line.add(command);
        line.addAll(args);
        return line;
    }

    /** The program as a JSON object for results (env values are left out: they may be credentials). */
    JsonObject describe() {
        return new JsonObject().put("command", command).put("args", new io.vertx.core.json.JsonArray(new ArrayList<>(args)));
    }
}
