package dev.jobyard.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

import com.sun.net.httpserver.HttpServer;

/**
 * An OpenID Connect provider in miniature for tests: an RSA key pair, its JWKS served on loopback, and tokens
 * minted with it (or with a stranger's key). Settings for a replica that trusts it: {@link #settings()}.
 */
public final class TestTokens {

    public static final String ISSUER = "https://login.test/realms/jobyard";
    public static final String AUDIENCE = "jobyard";
    /** Keycloak's layout: realm roles under realm_access.roles. */
    public static final String ROLES_CLAIM = "realm_access.roles";

    // Kept in a file: Quarkus loads this class once for a test profile and again for the test, and both must sign
    // and publish the same key.
    private static final RsaJsonWebKey KEY = shared(java.nio.file.Path.of("target", "test-tokens", "signing-key.json"));
    private static final RsaJsonWebKey STRANGER = generate("test-key");
    private static final HttpServer JWKS = serve();

    private TestTokens() {
    }

    private static RsaJsonWebKey generate(String kid) {
        try {
            RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId(kid);
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RsaJsonWebKey shared(java.nio.file.Path file) {
        try {
            if (!java.nio.file.Files.exists(file)) {
                java.nio.file.Files.createDirectories(file.getParent());
                java.nio.file.Path temp = java.nio.file.Files.createTempFile(file.getParent(), "key", ".json");
                java.nio.file.Files.writeString(temp, generate("test-key").toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE));
                try {
                    java.nio.file.Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    java.nio.file.Files.deleteIfExists(temp);
                }
            }
            return (RsaJsonWebKey) JsonWebKey.Factory.newJwk(java.nio.file.Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpServer serve() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            byte[] body = new JsonWebKeySet(KEY).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY).getBytes(StandardCharsets.UTF_8);
            server.createContext("/jwks", exchange -> {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.setExecutor(null);
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String jwksUrl() {
        return "http://127.0.0.1:" + JWKS.getAddress().getPort() + "/jwks";
    }

    /** The four settings an operator gives, pointing at this provider. */
    public static Map<String, String> settings() {
        return Map.of("jobyard.auth.issuer", ISSUER, "jobyard.auth.jwks-url", jwksUrl(), "jobyard.auth.audience", AUDIENCE,
                "jobyard.auth.roles-claim", ROLES_CLAIM);
    }

    /** A valid token for a new subject with these roles, for an hour, on every queue. */
    public static String token(String... roles) {
        return mint(claims("user-" + UUID.randomUUID(), List.of(roles), null, Duration.ofHours(1)), KEY);
    }

    /** A valid token limited to {@code queues}. */
    public static String tokenForQueues(List<String> queues, String... roles) {
        return mint(claims("user-" + UUID.randomUUID(), List.of(roles), queues, Duration.ofHours(1)), KEY);
    }

    /** A token that expires {@code in} from now (negative: already expired). */
    public static String expiringToken(Duration in, String... roles) {
        return mint(claims("user-" + UUID.randomUUID(), List.of(roles), null, in), KEY);
    }

    /** A token signed by a key the provider never published. */
    public static String forgedToken(String... roles) {
        return mint(claims("user-" + UUID.randomUUID(), List.of(roles), null, Duration.ofHours(1)), STRANGER);
    }

    /** Claims to adjust (issuer, audience) before {@link #sign}. */
    public static JwtClaims claims(String subject, List<String> roles, List<String> queues, Duration validFor) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setAudience(AUDIENCE);
        claims.setSubject(subject);
        claims.setIssuedAt(org.jose4j.jwt.NumericDate.fromSeconds(Instant.now().getEpochSecond() - 5));
        claims.setExpirationTime(org.jose4j.jwt.NumericDate.fromSeconds(Instant.now().plus(validFor).getEpochSecond()));
        claims.setClaim("realm_access", Map.of("roles", roles));
        if (queues != null) {
            claims.setStringListClaim("jobyard_queues", queues);
        }
        return claims;
    }

    public static String sign(JwtClaims claims) {
        return mint(claims, KEY);
    }

    private static String mint(JwtClaims claims, RsaJsonWebKey key) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
