package dev.jobyard.docs;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * docs/graphql-schema.graphql and docs/graphql-schema.md are the schema the service serves. With
 * {@code -Ddocs.write=true} the test rewrites them instead (see {@link SchemaReference#REGENERATE}).
 */
@QuarkusTest
class GraphQLSchemaReferenceTest {

    static final Path SDL = Path.of("docs/graphql-schema.graphql");
    static final Path PAGE = Path.of("docs/graphql-schema.md");

    @Test
    void theDocumentedSchemaIsTheServedSchema() throws IOException {
        // Given the schema the running service serves
        String served = given().get("/graphql/schema.graphql").then().statusCode(200).extract().asString().strip() + "\n";
        String page = SchemaReference.markdown(served);
        if (Boolean.getBoolean("docs.write")) {
            Files.writeString(SDL, served);
            Files.writeString(PAGE, page);
        }

        // Then the files in docs/ say the same, else they are out of date
        String hint = " is out of date with the served schema; regenerate it with: " + SchemaReference.REGENERATE;
        assertEquals(served, Files.readString(SDL), SDL + hint);
        assertEquals(page, Files.readString(PAGE), PAGE + hint);
    }
}
