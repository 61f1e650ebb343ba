package dev.jobyard.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.jobyard.testing.GraphQLClient;
import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * Every query, mutation and subscription field in the schema, listed by introspection, declares a permission;
 * and every query and mutation field is tried without credentials, as a viewer, an operator, an admin and a
 * queue-limited operator: refused exactly when the caller's role lacks the declared permission.
 */
@QuarkusTest
@TestProfile(AuthOn.class)
class EveryFieldHasAPermissionTest {

    @Inject
    Permissions permissions;

    // One root type per request: graphql-java refuses an introspection that asks for __Type.fields more than once.
    private static final String ROOT = "query($t: String!) { __type(name: $t) { fields { name args { name type { ...T } } "
            + "type { ...T } } } } fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }";

    /** The schema's root fields by introspection, as {@code __schema.<queryType|mutationType|subscriptionType>.fields}. */
    private JsonPath schema() {
        Map<String, Object> schema = new java.util.HashMap<>();
        JsonPath names = GraphQLClient.okAs(AuthOn.BOOTSTRAP, "{ __schema { queryType { name } mutationType { name } "
                + "subscriptionType { name } } }", Map.of());
        for (String type : List.of("queryType", "mutationType", "subscriptionType")) {
            Object fields = GraphQLClient.okAs(AuthOn.BOOTSTRAP, ROOT, Map.of("t", names.getString("__schema." + type + ".name")))
                    .get("__type.fields");
            schema.put(type, Map.of("fields", fields));
        }
        return new JsonPath(new io.vertx.core.json.JsonObject().put("__schema", schema).encode());
    }

    @Test
    void everyRootFieldDeclaresAPermission() {
        JsonPath schema = schema();
        List<String> missing = new ArrayList<>();
        int seen = 0;
        for (Permissions.Root root : Permissions.Root.values()) {
            String type = switch (root) {
                case QUERY -> "queryType";
                case MUTATION -> "mutationType";
                case SUBSCRIPTION -> "subscriptionType";
            };
            for (String field : schema.<String>getList("__schema." + type + ".fields.name")) {
                seen++;
                if (permissions.of(root, field).isEmpty()) {
                    missing.add(root.name().toLowerCase() + " " + field);
                }
            }
        }
        assertTrue(seen > 30, "introspection listed " + seen + " root fields");
        if (!missing.isEmpty()) {
            fail("Root fields without @Permission (annotate the resolver method; docs/security.md, \"Declaring a field's "
                    + "permission\"): " + missing);
        }
    }

    @Test
    void eachFieldIsRefusedExactlyToCallersWithoutItsPermission() {
        Map<String, String> callers = new LinkedHashMap<>();
        callers.put("nobody", null);
        callers.put("viewer", Keys.create("VIEWER"));
        callers.put("operator", Keys.create("OPERATOR"));
        callers.put("admin", Keys.create("ADMIN"));
        Map<String, Role> roles = Map.of("viewer", Role.VIEWER, "operator", Role.OPERATOR, "admin", Role.ADMIN);
        JsonPath schema = schema();
        List<String> wrong = new ArrayList<>();
        for (String kind : List.of("query", "mutation")) {
            List<Map<String, Object>> fields = schema.getList("__schema." + kind + "Type.fields");
            for (Map<String, Object> field : fields) {
                String name = (String) field.get("name");
                Perm perm = permissions.of(kind.equals("query") ? Permissions.Root.QUERY : Permissions.Root.MUTATION, name)
                        .orElseThrow().perm();
                for (var caller : callers.entrySet()) {
                    String document = kind + " " + call(field);
                    GraphQLClient.Answer answer = caller.getValue() == null ? GraphQLClient.as(Map.of(), document, Map.of())
                            : GraphQLClient.as(caller.getValue(), document, Map.of());
                    String code = answer.jsonPath().getString("errors[0].extensions.code");
                    String message = answer.jsonPath().getString("errors[0].message");
                    Role role = roles.get(caller.getKey());
                    boolean allowed = role != null && role.includes(perm.role());
                    String expected = allowed ? null : role == null ? "UNAUTHENTICATED" : "FORBIDDEN";
                    boolean refused = "UNAUTHENTICATED".equals(code) || "FORBIDDEN".equals(code);
                    if (allowed == refused || (!allowed && !(expected.equals(code) && message.contains(perm.label())))) {
                        wrong.add(caller.getKey() + " " + document + " -> " + answer.body());
                    }
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void aQueueLimitedOperatorTouchesOnlyItsQueues() {
        String prefix = "granted-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        String operator = Keys.create("OPERATOR", List.of(prefix + "*"));
        String mine = prefix + "a";
        String other = Jobs.uniqueQueue();
        GraphQLClient.okAs(operator, "mutation($q: String) { createJob(input: {kind: \"noop\", queue: $q, delaySeconds: 3600}) { id } }",
                Map.of("q", mine));
        for (String document : List.of(
                "mutation { createJob(input: {kind: \"noop\", queue: \"" + other + "\"}) { id } }",
                "mutation { createJob(input: {kind: \"noop\"}) { id } }",
                "mutation { createJobs(inputs: [{kind: \"noop\", queue: \"" + mine + "\"}, {kind: \"noop\", queue: \"" + other + "\"}]) { id } }",
                "mutation { pauseQueue(name: \"" + other + "\") { name } }",
                "mutation { createSchedule(input: {name: \"s-" + UUID.randomUUID() + "\", jobKind: \"noop\", queue: \"" + other + "\"}) { id } }")) {
            GraphQLClient.Answer answer = GraphQLClient.as(operator, document, Map.of());
            assertEquals("FORBIDDEN", answer.jsonPath().getString("errors[0].extensions.code"), document + " -> " + answer.body());
            assertTrue(answer.jsonPath().getString("errors[0].message").contains("not granted"), answer.body());
        }
        GraphQLClient.okAs(operator, "mutation { pauseQueue(name: \"" + mine + "\") { name } }", Map.of());
    }

    /** A call of the field with made-up arguments: every ID "0", required ones filled, harmless values. */
    private static String call(Map<String, Object> field) {
        StringBuilder args = new StringBuilder();
        for (Map<String, Object> arg : (List<Map<String, Object>>) field.get("args")) {
            Map<String, Object> type = (Map<String, Object>) arg.get("type");
            String value = valueOf((String) arg.get("name"), type, "NON_NULL".equals(type.get("kind")));
            if (value != null) {
                args.append(args.length() == 0 ? "(" : ", ").append(arg.get("name")).append(": ").append(value);
            }
        }
        if (args.length() > 0) {
            args.append(")");
        }
        String selection = leafOrObject((Map<String, Object>) field.get("type")) ? "" : " { __typename }";
        return "{ " + field.get("name") + args + selection + " }";
    }

    private static boolean leafOrObject(Map<String, Object> type) {
        while (type.get("ofType") != null && type.get("name") == null) {
            type = (Map<String, Object>) type.get("ofType");
        }
        return "SCALAR".equals(type.get("kind")) || "ENUM".equals(type.get("kind"));
    }

    private static String valueOf(String name, Map<String, Object> type, boolean required) {
        Map<String, Object> named = type;
        while (named.get("name") == null) {
            named = (Map<String, Object>) named.get("ofType");
        }
        boolean list = type.toString().contains("LIST");
        String typeName = (String) named.get("name");
        String value;
        if ("ID".equals(typeName)) {
            value = "\"0\"";
        } else if (!required) {
            return null;
        } else if ("ENUM".equals(named.get("kind"))) {
            value = GraphQLClient.okAs(AuthOn.BOOTSTRAP, "query($t: String!) { __type(name: $t) { enumValues { name } } }",
                    Map.of("t", typeName)).getString("__type.enumValues[0].name");
        } else {
            value = switch (typeName) {
                case "String" -> "\"probe-" + UUID.randomUUID() + "\"";
                case "Int" -> "100000";
                case "Boolean" -> "false";
                case "JobInput" -> "{kind: \"noop\", queue: \"" + Jobs.uniqueQueue() + "\", delaySeconds: 3600}";
                case "ApiKeyInput" -> "{name: \"probe-" + UUID.randomUUID() + "\", role: VIEWER}";
                default -> "{}";
            };
        }
        return list ? "[" + value + "]" : value;
    }
}
