package dev.jobyard.command.http;

import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.command.CappedOutput;
import dev.jobyard.command.CommandRules;
import dev.jobyard.command.CommandsConfig;
import dev.jobyard.command.HostGuard;
import dev.jobyard.command.Secrets;
import dev.jobyard.handler.FailedWithOutput;
import dev.jobyard.handler.JobContext;
import dev.jobyard.handler.JobHandler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * {@code http}: one request; a 2xx status is success. The result (or a failed attempt's output) holds
 * {@code status}, the response {@code headers} (without {@code Set-Cookie}) and the {@code body},
 * cut at {@code jobyard.commands.max-output-bytes}.
 */
@ApplicationScoped
public class HttpCommand implements JobHandler {

    private final CommandsConfig config;
    private final HostGuard hosts;
    private final Secrets secrets;
    private final HttpClients clients;

    HttpCommand(CommandsConfig config, HostGuard hosts, Secrets secrets, HttpClients clients) {
        this.config = config;
        this.hosts = hosts;
        this.secrets = secrets;
        this.clients = clients;
    }

    @Override
    public String kind() {
        return "http";
    }

    @Override
    public void validate(JsonObject payload) {
        CommandRules.requireEnabled(config.http().enabled(), kind(), "jobyard.commands.http.enabled");
        HttpRequestSpec.read(payload, hosts, secrets);
    }

    @Override
    public JsonObject handle(JobContext context) throws Exception {
        // The settings of the replica that runs the job decide, not those of the one that created it.
        validate(context.payload());
        HttpRequestSpec spec = HttpRequestSpec.read(context.payload(), hosts, secrets);
        hosts.checkResolved("url", spec.url());
        // A server may echo the credentials it was sent: their values are masked in what is kept.
        UnaryOperator<String> mask = secrets.masker(spec.headers().fieldNames().stream().map(spec.headers()::getValue).toList());
        JsonObject output = BoundedExchange.run(clients.client(), spec.toRequest(secrets, config.http().timeout()),
                config.http().timeout(), context, response -> {
                    JsonObject headers = new JsonObject();
                    response.headers().map().forEach((name, values) -> {
                        if (!name.equalsIgnoreCase("set-cookie")) {
                            List<String> masked = values.stream().map(mask).toList();
                            headers.put(name.toLowerCase(Locale.ROOT), masked.size() == 1 ? masked.get(0) : new JsonArray(masked));
                        }
                    });
                    CappedOutput body = new CappedOutput(config.maxOutputBytes()).drain(response.body());
                    return body.putInto(new JsonObject().put("method", spec.method()).put("url", spec.url().toString())
                            .put("status", response.statusCode()).put("headers", headers), "body", mask);
                });
        if (output.getInteger("status") / 100 != 2) {
            throw new FailedWithOutput("HTTP " + output.getInteger("status"), output);
        }
        return output;
    }
}
