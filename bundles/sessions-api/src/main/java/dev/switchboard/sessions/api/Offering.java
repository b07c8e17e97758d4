package dev.switchboard.sessions.api;

/** A stored offering; the fields are those of {@link NewOffering}. */
public record Offering(String id, String product, String name, UnitType unitType, long unitSize, long unitPrice,
        long setupPrice, long minUnits, long maxUnits, long billingInterval, long maxBillingUnitLag,
        long maxInactiveSeconds, long maxSuspendedSeconds, int supply) {
}
