package dev.switchboard.rpc.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** Jackson set-up shared by the transport. */
final class Json {

    /**
     * Binds params and writes results. Unknown members in params are ignored, as Thunder does,
     * so that newer clients keep working with older plugins.
     */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Json() {
    }

    /** A mapper for untrusted request text: nesting deeper than maxDepth fails while parsing. */
    static ObjectMapper requestParser(int maxDepth) {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(maxDepth).build())
                .build();
        return JsonMapper.builder(factory).build();
    }
}
