package dev.jobyard.command.http;

import java.net.http.HttpClient;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.command.CommandsConfig;

/**
 * The one HTTP client of {@code http} and {@code download}. It does not follow redirects: a redirect
 * could lead to a host outside {@code jobyard.commands.http.allowed-hosts}, so a 3xx is the answer.
 */
@ApplicationScoped
public class HttpClients {

    private final HttpClient client;

    HttpClients(CommandsConfig config) {
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(config.http().timeout()).build();
    }

    HttpClient client() {
        return client;
    }
}
