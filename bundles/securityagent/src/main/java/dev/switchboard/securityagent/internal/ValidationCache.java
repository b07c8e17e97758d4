package dev.switchboard.securityagent.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens whose signature has been checked, with their claims, so the signature is verified once
 * per token. An entry says nothing about time or revocation: those are checked on every hit. When
 * full, the cache starts over, which keeps it bounded without bookkeeping on the hot path.
 */
final class ValidationCache {

    private final int capacity;
    private final Map<String, TokenClaims> entries = new ConcurrentHashMap<>();

    ValidationCache(int capacity) {
        this.capacity = capacity;
    }

    TokenClaims get(String token) {
        return entries.get(token);
    }

    void put(String token, TokenClaims claims) {
        if (entries.size() >= capacity) {
            entries.clear();
        }
        entries.put(token, claims);
    }

    void remove(String token) {
        entries.remove(token);
    }

    void clear() {
        entries.clear();
    }

    int size() {
        return entries.size();
    }
}
