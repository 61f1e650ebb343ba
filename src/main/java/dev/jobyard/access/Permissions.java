package dev.jobyard.access;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;

import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.Query;

import io.quarkus.arc.Arc;
import io.smallrye.graphql.api.Subscription;

/**
 * The permission of every root field, read once from the {@link Permission} annotations of the resolver
 * methods of every {@code @GraphQLApi} bean. Keyed by operation type and field name, as the guard sees them.
 */
@ApplicationScoped
@io.quarkus.arc.Unremovable
public class Permissions {

    /** The three root types. */
    public enum Root {
        QUERY, MUTATION, SUBSCRIPTION
    }

    /** A root field's declaration: its permission, and which argument (if any) names a queue. */
    public record Declared(Perm perm, String queueArgument, boolean kindsAreJobs) {
    }

    private volatile Map<Root, Map<String, Declared>> fields;

    /** The declaration of a root field, empty when it has none. */
    public Optional<Declared> of(Root root, String field) {
        return Optional.ofNullable(all().get(root).get(field));
    }

    /** Every declared root field, by type, sorted by name. */
    public Map<Root, Map<String, Declared>> all() {
        if (fields == null) {
            fields = scan();
        }
        return fields;
    }

    private static Map<Root, Map<String, Declared>> scan() {
        List<Class<?>> types = new ArrayList<>();
        for (Bean<?> bean : Arc.container().beanManager().getBeans(Object.class, Any.Literal.INSTANCE)) {
            types.add(bean.getBeanClass());
        }
        return scan(types);
    }

    /** The declarations of the {@code @GraphQLApi} classes among {@code types} (docs/security.md's table is made so). */
    public static Map<Root, Map<String, Declared>> scan(Collection<Class<?>> types) {
        Map<Root, Map<String, Declared>> found = new java.util.EnumMap<>(Root.class);
        for (Root root : Root.values()) {
            found.put(root, new TreeMap<>());
        }
        for (Class<?> type : types) {
            if (!type.isAnnotationPresent(GraphQLApi.class)) {
                continue;
            }
            for (Method method : type.getDeclaredMethods()) {
                Permission permission = method.getAnnotation(Permission.class);
                if (permission == null) {
                    continue;
                }
                Declared declared = new Declared(permission.value(), permission.queueArgument(), permission.kindsAreJobs());
                Query q = method.getAnnotation(Query.class);
                Mutation m = method.getAnnotation(Mutation.class);
                Subscription s = method.getAnnotation(Subscription.class);
                if (q != null) {
                    found.get(Root.QUERY).put(name(q.value(), method), declared);
                } else if (m != null) {
                    found.get(Root.MUTATION).put(name(m.value(), method), declared);
                } else if (s != null) {
                    found.get(Root.SUBSCRIPTION).put(name(s.value(), method), declared);
                }
            }
        }
        return found;
    }

    /** The field name as SmallRye GraphQL derives it: the annotation's value, else the method's name without get/is. */
    private static String name(String value, Method method) {
        if (value != null && !value.isEmpty()) {
            return value;
        }
        String name = method.getName();
        for (String prefix : new String[] {"get", "is"}) {
            if (name.length() > prefix.length() && name.startsWith(prefix) && Character.isUpperCase(name.charAt(prefix.length()))) {
                return Character.toLowerCase(name.charAt(prefix.length())) + name.substring(prefix.length() + 1);
            }
        }
        return name;
    }
}
