package dev.switchboard.sessions.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.switchboard.sessions.api.NewOffering;
import dev.switchboard.sessions.api.SessionsException;
import dev.switchboard.sessions.api.SessionsException.Reason;
import dev.switchboard.sessions.api.UsageReport;

/**
 * The checks of what a caller passes to the Service API, before anything is read or written: each
 * refusal is an {@link Reason#INVALID_PARAMETERS} saying what was wrong.
 */
final class Inputs {

    private static final int MAX_TEXT = 200;
    private static final int MAX_ENDPOINT = 1000;

    private Inputs() {
    }

    static SessionsException bad(String detail) {
        return new SessionsException(Reason.INVALID_PARAMETERS, detail);
    }

    /** A name or key of at most {@value #MAX_TEXT} characters; blank is absent, which answers null. */
    static String text(String value, String name, boolean required) {
        if (value == null || value.isBlank()) {
            if (required) {
                throw bad(name + " is required");
            }
            return null;
        }
        if (value.length() > MAX_TEXT) {
            throw bad(name + " is longer than " + MAX_TEXT + " characters");
        }
        return value;
    }

    static long nonNegative(long value, String name) {
        if (value < 0) {
            throw bad(name + " must not be negative");
        }
        return value;
    }

    static <T> T required(T value, String name) {
        if (value == null) {
            throw bad(name + " is required");
        }
        return value;
    }

    /** A service endpoint: empty when absent. */
    static String endpoint(String value) {
        String endpoint = value == null ? "" : value;
        if (endpoint.length() > MAX_ENDPOINT) {
            throw bad("serviceEndpoint is too long");
        }
        return endpoint;
    }

    /** A copy of a product configuration, which maps names to strings; null is empty. */
    static Map<String, String> config(Map<String, String> config) {
        if (config == null) {
            return Map.of();
        }
        Map<String, String> copy = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) config).entrySet()) {
            if (!(e.getKey() instanceof String key) || key.isEmpty() || !(e.getValue() instanceof String value)) {
                throw bad("the product configuration must map names to strings");
            }
            copy.put(key, value);
        }
        return copy;
    }

    /** An offering's terms: sizes, prices and limits. */
    static void terms(NewOffering o) {
        if (o.unitType() == null) {
            throw bad("unitType is required (BYTES or SECONDS)");
        }
        if (o.unitSize() < 1) {
            throw bad("unitSize must be at least 1");
        }
        nonNegative(o.unitPrice(), "unitPrice");
        nonNegative(o.setupPrice(), "setupPrice");
        nonNegative(o.minUnits(), "minUnits");
        nonNegative(o.maxUnits(), "maxUnits");
        nonNegative(o.billingInterval(), "billingInterval");
        nonNegative(o.maxBillingUnitLag(), "maxBillingUnitLag");
        nonNegative(o.maxInactiveSeconds(), "maxInactiveSeconds");
        nonNegative(o.maxSuspendedSeconds(), "maxSuspendedSeconds");
        nonNegative(o.supply(), "supply");
        if (o.maxUnits() > 0 && o.minUnits() > o.maxUnits()) {
            throw bad("minUnits is above maxUnits");
        }
    }

    static void totals(UsageReport totals) {
        if (totals == null) {
            throw bad("usage totals are required");
        }
        if (totals.bytesUp() < 0 || totals.bytesDown() < 0) {
            throw bad("usage totals must not be negative");
        }
    }
}
