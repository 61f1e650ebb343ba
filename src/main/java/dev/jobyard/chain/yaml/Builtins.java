package dev.jobyard.chain.yaml;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.jobyard.common.BadInputException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * pg_timetable's BUILTIN commands as Jobyard kinds, with their parameter fields renamed to the kind's payload
 * fields. SMTP credentials and servers are not imported: the mail server is the service's
 * ({@code quarkus.mailer.*}) and secrets are referenced by name ({@code {"secret": "name"}}), so the import
 * warns and leaves them out.
 */
final class Builtins {

    record Mapped(String kind, List<Object> parameters) {
    }

    private static final Map<String, String> KINDS = Map.of("NoOp", "noop", "Sleep", "sleep", "Log", "log", "SendMail",
            "send_mail", "Download", "download", "CopyFromFile", "copy_from_file", "CopyToFile", "copy_to_file",
            "CopyFromProgram", "copy_from_program", "CopyToProgram", "copy_to_program", "Shutdown", "shutdown");

    private Builtins() {
    }

    static Mapped map(String at, String command, List<Object> parameters, List<String> warnings) {
        String kind = command == null ? null : KINDS.get(command);
        if (kind == null) {
            throw new BadInputException(at + ".command", "unknown BUILTIN '" + command + "'; known: "
                    + String.join(", ", new java.util.TreeSet<>(KINDS.keySet())));
        }
        if (parameters == null) {
            return new Mapped(kind, null);
        }
        List<Object> mapped = new ArrayList<>();
        for (int i = 0; i < parameters.size(); i++) {
            mapped.add(parameter(at + ".parameters[" + i + "]", kind, parameters.get(i), warnings));
        }
        return new Mapped(kind, mapped);
    }

    private static Object parameter(String at, String kind, Object value, List<String> warnings) {
        switch (kind) {
            case "sleep":
                if (value instanceof Number seconds) {
                    return new JsonObject().put("ms", seconds.longValue() * 1000);
                }
                return value;
            case "log":
                return value instanceof JsonObject o && o.containsKey("message") ? o
                        : new JsonObject().put("message", value instanceof String s ? s : io.vertx.core.json.Json.encode(value));
            case "send_mail":
                return value instanceof JsonObject o ? mail(at, o, warnings) : value;
            case "download":
                if (value instanceof JsonObject o) {
                    JsonObject p = new JsonObject();
                    rename(o, p, "fileurls", "urls");
                    rename(o, p, "destpath", "directory");
                    rename(o, p, "workersnum", "workers");
                    o.forEach(e -> p.put(e.getKey(), e.getValue()));
                    return p;
                }
                return value;
            default:
                return value;
        }
    }

    private static JsonObject mail(String at, JsonObject o, List<String> warnings) {
        JsonObject p = o.copy();
        for (String dropped : List.of("username", "password", "serverhost", "serverport")) {
            if (p.remove(dropped) != null) {
                warnings.add(at + "." + dropped + " was not imported: the mail server and its credentials are the service's"
                        + " (quarkus.mailer.*); refer to secrets by name ({\"secret\": \"name\"}), never inline");
            }
        }
        JsonObject out = new JsonObject();
        rename(p, out, "senderaddr", "from");
        rename(p, out, "toaddr", "to");
        rename(p, out, "ccaddr", "cc");
        rename(p, out, "bccaddr", "bcc");
        String contentType = (String) p.remove("contenttype");
        Object body = p.remove("msgbody");
        if (body != null) {
            out.put(contentType != null && contentType.contains("html") ? "html" : "text", body);
        }
        for (String unsupported : List.of("attachment", "attachmentdata")) {
            if (p.remove(unsupported) != null) {
                warnings.add(at + "." + unsupported + " was not imported: give send_mail's attachments in its payload");
            }
        }
        p.forEach(e -> out.put(e.getKey(), e.getValue()));
        for (String list : List.of("to", "cc", "bcc")) {
            if (out.getValue(list) instanceof String one) {
                out.put(list, new JsonArray().add(one));
            }
        }
        return out;
    }

    private static void rename(JsonObject from, JsonObject to, String old, String name) {
        if (from.containsKey(old)) {
            to.put(name, from.remove(old));
        }
    }
}
