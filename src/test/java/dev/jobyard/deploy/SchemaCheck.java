package dev.jobyard.deploy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Holds objects to the Kubernetes schema, offline. The fabric8 model has one class per kind and field, generated
 * from the Kubernetes OpenAPI schema: parsing already rejects a value of the wrong type, an unknown kind stays a
 * {@link GenericKubernetesResource}, and a field the schema does not have lands in a class's
 * {@code additionalProperties}. This walk reports the last two, with the path of each.
 */
final class SchemaCheck {

    private static final String MODEL = "io.fabric8.kubernetes.api.model";

    private SchemaCheck() {
    }

    static List<String> violations(Manifest manifest) {
        List<String> found = new ArrayList<>();
        for (HasMetadata object : manifest.objects()) {
            String where = object.getKind() + "/" + object.getMetadata().getName();
            if (object instanceof GenericKubernetesResource) {
                found.add(where + ": " + object.getApiVersion() + " " + object.getKind() + " is not a Kubernetes kind");
            } else {
                walk(object, where, found);
            }
        }
        return found;
    }

    private static void walk(Object value, String path, List<String> found) {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", found);
            }
            return;
        }
        if (value instanceof Map<?, ?> entries) {
            entries.forEach((key, item) -> walk(item, path + "[" + key + "]", found));
            return;
        }
        if (!value.getClass().getName().startsWith(MODEL)) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object field = invoke(getter, value);
            if (getter.getName().equals("getAdditionalProperties")) {
                if (field instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    found.add(path + ": fields not in the schema of " + value.getClass().getSimpleName() + ": "
                            + extra.keySet());
                }
            } else {
                walk(field, path + "." + property(getter.getName()), found);
            }
        }
    }

    private static String property(String getter) {
        return Character.toLowerCase(getter.charAt(3)) + getter.substring(4);
    }

    private static Object invoke(Method getter, Object target) {
        try {
            return getter.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("could not read " + getter, e);
        }
    }
}
