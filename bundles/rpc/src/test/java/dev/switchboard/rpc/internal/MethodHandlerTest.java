package dev.switchboard.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.lang.reflect.Method;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.api.jsonrpc.ErrorCode;
import dev.switchboard.api.jsonrpc.JsonRpcException;
import dev.switchboard.api.plugin.JsonRpcMethod;

/** Binding a request's params to a method's params record, with and without params. */
class MethodHandlerTest {

    public static class Shop {
        public record Filter(String product, Integer limit) {
        }

        public record Amount(int by) {
        }

        public record Named(@JsonProperty(required = true) String name, String note) {
        }

        @JsonRpcMethod
        public String orders(Filter filter) {
            return filter.product() + "/" + filter.limit();
        }

        @JsonRpcMethod
        public int add(Amount amount) {
            return amount.by();
        }

        @JsonRpcMethod
        public String greet(Named named) {
            return named.name();
        }
    }

    private final Shop shop = new Shop();

    @Test
    void aRecordOfOptionalMembersBindsAMissingParamsAsAnEmptyObject() throws Exception {
        assertThat(invoke("orders", null)).isEqualTo("null/null");
        assertThat(invoke("orders", "{}")).isEqualTo("null/null");
        assertThat(invoke("orders", "{\"product\":\"p\",\"limit\":3}")).isEqualTo("p/3");
        assertThat(refusal("orders", "{\"limit\":\"many\"}")).contains("Integer");
    }

    @Test
    void aRecordWithARequiredMemberStillNeedsParams() {
        assertThat(refusal("add", null)).isEqualTo("params are required");
        assertThat(refusal("greet", null)).contains("'name'");
        assertThat(refusal("greet", "{}")).contains("'name'");
    }

    private Object invoke(String name, String params) throws Exception {
        List<Method> overloads = List.of(Shop.class.getMethod(name, paramType(name)));
        JsonNode node = params == null ? null : Json.MAPPER.readTree(params);
        return MethodHandler.of(name, overloads, Json.MAPPER).invoke(shop, node, null, null);
    }

    /** The detail of the -32602 a call is refused with. */
    private String refusal(String name, String params) {
        JsonRpcException e = catchThrowableOfType(JsonRpcException.class, () -> invoke(name, params));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETERS.code());
        return String.valueOf(e.data());
    }

    private static Class<?> paramType(String name) {
        for (Method method : Shop.class.getMethods()) {
            if (method.getName().equals(name)) {
                return method.getParameterTypes()[0];
            }
        }
        throw new AssertionError(name);
    }
}
