package dev.switchboard.sessions.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaException;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import dev.switchboard.sessions.api.SessionsException;
import dev.switchboard.sessions.api.SessionsException.Reason;

/** JSON Schema templates: compaction, hashing, checking against the draft-07 meta-schema, validation. */
final class Schemas {

    private final ObjectMapper mapper;
    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);
    private final JsonSchema metaSchema;
    private final ConcurrentMap<String, JsonSchema> compiled = new ConcurrentHashMap<>();

    Schemas(ObjectMapper mapper) {
        this.mapper = mapper;
        try (InputStream in = JsonSchemaFactory.class.getResourceAsStream("/draft-07/schema")) {
            if (in == null) {
                throw new IllegalStateException("the draft-07 meta-schema is missing");
            }
            metaSchema = factory.getSchema(mapper.readTree(in));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the draft-07 meta-schema", e);
        }
    }

    /** Parses and checks a schema; answers its compacted JSON. */
    String compact(String schemaJson) {
        JsonNode node;
        try {
            node = schemaJson == null ? null : mapper.readTree(schemaJson);
        } catch (IOException e) {
            throw new SessionsException(Reason.INVALID_SCHEMA, "not JSON");
        }
        if (node == null || !node.isObject()) {
            throw new SessionsException(Reason.INVALID_SCHEMA, "a template must be a JSON object");
        }
        Set<ValidationMessage> errors = metaSchema.validate(node);
        if (!errors.isEmpty()) {
            throw new SessionsException(Reason.INVALID_SCHEMA, describe(errors));
        }
        try {
            factory.getSchema(node).initializeValidators();
        } catch (JsonSchemaException | IllegalArgumentException e) {
            throw new SessionsException(Reason.INVALID_SCHEMA, String.valueOf(e.getMessage()));
        }
        try {
            return mapper.writeValueAsString(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String id(String compactJson) {
        return Secrets.sha256(compactJson);
    }

    /** Validates {@code document} against the stored schema {@code schemaJson}; fails with {@code reason}. */
    void validate(String templateId, String schemaJson, JsonNode document, Reason reason) {
        JsonSchema schema = compiled.computeIfAbsent(templateId, id -> {
            try {
                return factory.getSchema(mapper.readTree(schemaJson));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        Set<ValidationMessage> errors = schema.validate(document);
        if (!errors.isEmpty()) {
            throw new SessionsException(reason, describe(errors));
        }
    }

    private static String describe(Set<ValidationMessage> errors) {
        return errors.stream().map(ValidationMessage::getMessage).sorted().limit(5).collect(Collectors.joining("; "));
    }
}
