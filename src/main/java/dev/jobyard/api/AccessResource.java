package dev.jobyard.api;

import java.time.OffsetDateTime;
import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Input;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;

import dev.jobyard.access.ApiKeyStore;
import dev.jobyard.access.ApiKeys;
import dev.jobyard.access.AuditStore;
import dev.jobyard.access.AuditTrail;
import dev.jobyard.access.Callers;
import dev.jobyard.access.Perm;
import dev.jobyard.access.Permission;
import dev.jobyard.access.Role;
import dev.jobyard.job.JobService;
import io.smallrye.common.annotation.Blocking;

/** API keys and the audit log over GraphQL (docs/security.md). */
@Blocking
@GraphQLApi
public class AccessResource {

    private final ApiKeys keys;
    private final AuditTrail audit;

    AccessResource(ApiKeys keys, AuditTrail audit) {
        this.keys = keys;
        this.audit = audit;
    }

    @Input("ApiKeyInput")
    @Description("A key to create. queues limits it to those queues (names, or prefixes ending in *); none: every queue.")
    public static class ApiKeyInput {
        @NonNull
        public String name;
        @NonNull
        public Role role;
        public List<@NonNull String> queues;
        @Description("When the key stops working; none: never.")
        public OffsetDateTime expiresAt;
    }

    @Name("ApiKey")
    @Description("A stored API key; its text is shown only by createApiKey.")
    public record ApiKeyView(@Id String id, String name, Role role,
            @Description("Queue names and prefixes it is limited to; null: every queue.") List<String> queues,
            String createdBy, OffsetDateTime createdAt, OffsetDateTime expiresAt, OffsetDateTime revokedAt,
            @Description("Written at most once a minute (jobyard.auth.last-used-interval).") OffsetDateTime lastUsedAt) {
        static ApiKeyView of(ApiKeyStore.ApiKey k) {
            return new ApiKeyView(String.valueOf(k.id()), k.name(), k.role(), k.queues(), k.createdBy(), k.createdAt(),
                    k.expiresAt(), k.revokedAt(), k.lastUsedAt());
        }
    }

    @Name("CreatedApiKey")
    public record Created(@Description("The key text: shown this once, only its hash is stored.") String key, ApiKeyView apiKey) {
    }

    @Name("AuditRecord")
    @Description("One mutation: who, what, when, from where, and its outcome (OK or an error code).")
    public record AuditView(@Id String id, OffsetDateTime at, String subject, String role, String field,
            @Description("The arguments, secrets masked.") jakarta.json.JsonObject arguments, String address, String outcome) {
    }

    @Name("AuditConnection")
    public record AuditConnection(List<AuditView> nodes, String endCursor, boolean hasNextPage) {
    }

    @Mutation
    @Permission(Perm.API_KEYS)
    @Description("Creates an API key for a machine; the answer holds the key text, which is never shown again.")
    public Created createApiKey(@NonNull ApiKeyInput input) {
        ApiKeys.Created created = keys.create(input.name, input.role, input.queues, input.expiresAt, Callers.current().subject());
        return new Created(created.key(), ApiKeyView.of(created.apiKey()));
    }

    @Mutation
    @Permission(Perm.API_KEYS)
    @Description("Revokes a key at once on this replica, within jobyard.auth.key-cache-ttl on the others.")
    public ApiKeyView revokeApiKey(@NonNull @Id String id) {
        return ApiKeyView.of(keys.revoke(JobService.parseId("id", id)));
    }

    @Query
    @Permission(Perm.API_KEYS)
    @Description("API keys, revoked ones included, oldest first.")
    public List<ApiKeyView> apiKeys(Integer first, String after) {
        return keys.list(Cursors.idAfter(after), Cursors.pageSize(first)).stream().map(ApiKeyView::of).toList();
    }

    @Query
    @Permission(Perm.AUDIT_READ)
    @Description("Audited mutations, newest first; optionally of one subject (a token's sub, key:<name>) and since a time.")
    public AuditConnection auditLog(Integer first, String after, String subject, OffsetDateTime since) {
        int size = Cursors.pageSize(first);
        long before = after == null ? Long.MAX_VALUE : Cursors.idAfter(after);
        List<AuditStore.Record> fetched = audit.list(subject, since, before, size + 1);
        var page = Cursors.Page.of(fetched, size, after, r -> Cursors.ofId(r.id()));
        return new AuditConnection(page.items().stream().map(r -> new AuditView(String.valueOf(r.id()), r.at(), r.subject(),
                r.role(), r.field(), JsonValues.toGraphQL(r.arguments()), r.address(), r.outcome())).toList(),
                page.endCursor(), page.hasNext());
    }
}
