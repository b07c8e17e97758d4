package dev.switchboard.sessions.api;

/**
 * What the operator gives to create an offering. Prices are in the smallest currency unit.
 *
 * @param product             the product id
 * @param name                a label
 * @param unitType            bytes or seconds
 * @param unitSize            bytes or seconds per billed unit (at least 1); usage is rounded up to whole units
 * @param unitPrice           price per unit
 * @param setupPrice          paid once per order
 * @param minUnits            the least number of units an order's deposit must cover
 * @param maxUnits            the most units an order may use; 0 = no limit
 * @param billingInterval     units between two payments the client is expected to make
 * @param maxBillingUnitLag   units the client may use beyond what it paid before it is suspended
 * @param maxInactiveSeconds  an active order without usage for longer is terminated; 0 = never
 * @param maxSuspendedSeconds a suspended order is terminated after this long; 0 = never
 * @param supply              how many orders may be open at once; 0 = no limit
 */
public record NewOffering(String product, String name, UnitType unitType, long unitSize, long unitPrice,
        long setupPrice, long minUnits, long maxUnits, long billingInterval, long maxBillingUnitLag,
        long maxInactiveSeconds, long maxSuspendedSeconds, int supply) {
}
