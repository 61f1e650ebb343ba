package dev.jobyard.api.guard;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import graphql.GraphQLContext;
import graphql.language.Document;
import graphql.language.OperationDefinition;
import graphql.language.VariableDefinition;
import graphql.parser.Parser;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLInputType;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;

/**
 * Where in a variable a value failed to coerce. graphql-java names only the variable ("Variable 'in' has
 * an invalid value: Expected a String input…"); this walks the variables against their types again, only
 * after such an error, and finds the field ({@code in.kind}, {@code in.dependencies[2]}).
 */
final class VariablePaths {

    private VariablePaths() {
    }

    /** The path of the first value that does not fit its type, or null if none is found. */
    static String firstInvalid(GraphQLSchema schema, String query, String operationName, Map<String, Object> variables) {
        try {
            Document document = Parser.parse(query);
            List<OperationDefinition> operations = document.getDefinitionsOfType(OperationDefinition.class);
            for (OperationDefinition operation : operations) {
                if (operationName != null && !operationName.isEmpty() && !operationName.equals(operation.getName())) {
                    continue;
                }
                for (VariableDefinition definition : operation.getVariableDefinitions()) {
                    GraphQLType type = typeOf(schema, definition.getType());
                    if (type instanceof GraphQLInputType input && definition.getDefaultValue() == null) {
                        String found = new VariablePaths().walk(definition.getName(), input, variables.get(definition.getName()));
                        if (found != null) {
                            return found;
                        }
                    }
                }
                return null;
            }
        } catch (RuntimeException e) {
            // No better name than graphql-java's message, then.
        }
        return null;
    }

    private static GraphQLType typeOf(GraphQLSchema schema, graphql.language.Type<?> type) {
        if (type instanceof graphql.language.NonNullType nonNull) {
            return GraphQLNonNull.nonNull(typeOf(schema, nonNull.getType()));
        }
        if (type instanceof graphql.language.ListType list) {
            return GraphQLList.list(typeOf(schema, list.getType()));
        }
        return schema.getType(((graphql.language.TypeName) type).getName());
    }

    private String walk(String at, GraphQLType type, Object value) {
        if (value == null) {
            return type instanceof GraphQLNonNull ? at + ": is required" : null;
        }
        GraphQLType inner = GraphQLTypeUtil.unwrapNonNull(type);
        if (inner instanceof GraphQLList list) {
            if (value instanceof List<?> items) {
                for (int i = 0; i < items.size(); i++) {
                    String found = walk(at + "[" + i + "]", list.getWrappedType(), items.get(i));
                    if (found != null) {
                        return found;
                    }
                }
                return null;
            }
            return walk(at, list.getWrappedType(), value);
        }
        if (inner instanceof GraphQLInputObjectType object) {
            if (!(value instanceof Map<?, ?> map)) {
                return at + ": must be an object of type " + object.getName();
            }
            for (Object key : map.keySet()) {
                if (object.getField(String.valueOf(key)) == null) {
                    return at + "." + key + ": " + object.getName() + " has no such field";
                }
            }
            for (GraphQLInputObjectField field : object.getFields()) {
                String found = walk(at + "." + field.getName(), field.getType(), map.get(field.getName()));
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        if (inner instanceof GraphQLEnumType enumType) {
            return enumType.getValue(String.valueOf(value)) == null ? at + ": is not a value of " + enumType.getName() : null;
        }
        if (inner instanceof GraphQLScalarType scalar) {
            return fits(scalar, value) ? null : at + ": is not a valid " + scalar.getName();
        }
        return null;
    }

    /**
     * Strictly: the extension's scalars take strings for numbers and dates when they coerce and fail only
     * when the resolver's argument is built, with a message that names no field.
     */
    private static boolean fits(GraphQLScalarType scalar, Object value) {
        switch (scalar.getName()) {
            case "Int":
                return value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                        && n.doubleValue() >= Integer.MIN_VALUE && n.doubleValue() <= Integer.MAX_VALUE;
            case "Float":
                return value instanceof Number;
            case "Boolean":
                return value instanceof Boolean;
            case "String":
                return value instanceof String;
            case "ID":
                return value instanceof String || value instanceof Number;
            case "DateTime":
                try {
                    java.time.OffsetDateTime.parse(String.valueOf(value));
                    return value instanceof String;
                } catch (RuntimeException e) {
                    return false;
                }
            default:
                try {
                    scalar.getCoercing().parseValue(value, GraphQLContext.getDefault(), Locale.ROOT);
                    return true;
                } catch (RuntimeException e) {
                    return false;
                }
        }
    }
}
