package dev.jobyard.access;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.jobyard.testing.GraphQLClient;
import io.restassured.path.json.JsonPath;

/** API keys made through the API with the bootstrap key, as an operator would make them. */
final class Keys {

    private Keys() {
    }

    /** A new key's text for {@code role} ("VIEWER", "OPERATOR", "ADMIN"), limited to {@code queues} unless null. */
    static String create(String role, List<String> queues) {
        return created(role, queues).getString("createApiKey.key");
    }

    static JsonPath created(String role, List<String> queues) {
        Map<String, Object> input = new java.util.HashMap<>(Map.of("name", "test-" + UUID.randomUUID(), "role", role));
        if (queues != null) {
            input.put("queues", queues);
        }
        return GraphQLClient.okAs(AuthOn.BOOTSTRAP, "mutation($in: ApiKeyInput!) { createApiKey(input: $in) { key "
                + "apiKey { id name role queues createdAt expiresAt lastUsedAt } } }", Map.of("in", input));
    }

    static String create(String role) {
        return create(role, null);
    }
}
