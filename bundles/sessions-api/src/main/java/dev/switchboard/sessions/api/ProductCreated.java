package dev.switchboard.sessions.api;

/**
 * A new product and the credential its adapter authenticates with. The credential is shown once;
 * only its hash is stored.
 */
public record ProductCreated(Product product, String credential) {
}
