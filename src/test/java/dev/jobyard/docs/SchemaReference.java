package dev.jobyard.docs;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import graphql.language.Description;
import graphql.language.EnumTypeDefinition;
import graphql.language.FieldDefinition;
import graphql.language.InputObjectTypeDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.ObjectTypeDefinition;
import graphql.language.ScalarTypeDefinition;
import graphql.language.TypeDefinition;
import graphql.language.AstPrinter;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;

/**
 * docs/graphql-schema.md: the reference page generated from the served SDL (graphql-java parses it),
 * every operation, type, field, argument, enum value and scalar with its description.
 */
final class SchemaReference {

    static final String REGENERATE = "./mvnw test -Dtest=GraphQLSchemaReferenceTest -Ddocs.write=true";

    private SchemaReference() {
    }

    static String markdown(String sdl) {
        TypeDefinitionRegistry registry = new SchemaParser().parse(sdl);
        StringBuilder md = new StringBuilder();
        md.append("# GraphQL schema reference\n\n")
                .append("Generated from the running schema (`/graphql/schema.graphql`); do not edit by hand. The same schema as SDL\n")
                .append("is in [graphql-schema.graphql](graphql-schema.graphql), and [graphql.md](graphql.md) explains how to use it.\n")
                .append("`GraphQLSchemaReferenceTest` fails when the two files and the served schema differ; regenerate both with\n\n")
                .append("```bash\n").append(REGENERATE).append("\n```\n");
        for (String root : List.of("Query", "Mutation", "Subscription")) {
            registry.getType(root, ObjectTypeDefinition.class).ifPresent(type -> {
                md.append("\n## ").append(root).append("\n\n| Field | Arguments | Returns | Description |\n|---|---|---|---|\n");
                sorted(type.getFieldDefinitions()).forEach(f -> md.append("| `").append(f.getName()).append("` | ")
                        .append(arguments(f.getInputValueDefinitions())).append(" | `").append(AstPrinter.printAst(f.getType()))
                        .append("` | ").append(text(f.getDescription())).append(" |\n"));
            });
        }
        md.append("\n## Types\n");
        types(registry, ObjectTypeDefinition.class).stream().filter(t -> !List.of("Query", "Mutation", "Subscription")
                .contains(t.getName())).forEach(type -> {
                    md.append("\n### ").append(type.getName()).append("\n\n").append(paragraph(type.getDescription()))
                            .append("| Field | Type | Description |\n|---|---|---|\n");
                    type.getFieldDefinitions().forEach(f -> md.append("| `").append(f.getName())
                            .append(f.getInputValueDefinitions().isEmpty() ? "" : "(" + arguments(f.getInputValueDefinitions()) + ")")
                            .append("` | `").append(AstPrinter.printAst(f.getType())).append("` | ").append(text(f.getDescription()))
                            .append(" |\n"));
                });
        md.append("\n## Input types\n");
        types(registry, InputObjectTypeDefinition.class).forEach(type -> {
            md.append("\n### ").append(type.getName()).append("\n\n").append(paragraph(type.getDescription()))
                    .append("| Field | Type | Default | Description |\n|---|---|---|---|\n");
            type.getInputValueDefinitions().forEach(v -> md.append("| `").append(v.getName()).append("` | `")
                    .append(AstPrinter.printAst(v.getType())).append("` | ")
                    .append(v.getDefaultValue() == null ? "" : "`" + AstPrinter.printAst(v.getDefaultValue()) + "`").append(" | ")
                    .append(text(v.getDescription())).append(" |\n"));
        });
        md.append("\n## Enums\n\n| Enum | Values | Description |\n|---|---|---|\n");
        types(registry, EnumTypeDefinition.class).forEach(type -> md.append("| `").append(type.getName()).append("` | ")
                .append(type.getEnumValueDefinitions().stream().map(v -> "`" + v.getName() + "`").collect(Collectors.joining(", ")))
                .append(" | ").append(text(type.getDescription())).append(" |\n"));
        md.append("\n## Scalars\n\n| Scalar | Description |\n|---|---|\n");
        types(registry, ScalarTypeDefinition.class).forEach(type -> md.append("| `").append(type.getName()).append("` | ")
                .append(text(type.getDescription())).append(" |\n"));
        return md.toString();
    }

    private static <T extends TypeDefinition<?>> List<T> types(TypeDefinitionRegistry registry, Class<T> kind) {
        return registry.getTypes(kind).stream().sorted(Comparator.comparing(TypeDefinition::getName)).toList();
    }

    private static List<FieldDefinition> sorted(List<FieldDefinition> fields) {
        return fields.stream().sorted(Comparator.comparing(FieldDefinition::getName)).toList();
    }

    private static String arguments(List<InputValueDefinition> args) {
        return args.stream().map(a -> "`" + a.getName() + ": " + AstPrinter.printAst(a.getType())
                + (a.getDefaultValue() == null ? "" : " = " + AstPrinter.printAst(a.getDefaultValue())) + "`")
                .collect(Collectors.joining(", "));
    }

    private static String text(Description description) {
        return description == null ? "" : description.getContent().replace("\n", " ").replace("|", "\\|").strip();
    }

    private static String paragraph(Description description) {
        String text = text(description);
        return text.isEmpty() ? "" : text + "\n\n";
    }
}
