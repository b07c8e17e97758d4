package dev.switchboard.api.plugin;

/** One JSON-RPC interface of a plugin, as the built-in {@code versions} answers it. */
public record InterfaceVersion(String name, int major, int minor, int patch) {

    public static InterfaceVersion of(JsonRpcInterface declaration) {
        return new InterfaceVersion(declaration.name(), declaration.major(), declaration.minor(), declaration.patch());
    }
}
