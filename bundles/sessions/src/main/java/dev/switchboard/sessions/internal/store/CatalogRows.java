package dev.switchboard.sessions.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.sessions.api.Offering;
import dev.switchboard.sessions.api.Product;
import dev.switchboard.sessions.api.SessionsException;
import dev.switchboard.sessions.api.SessionsException.Reason;
import dev.switchboard.sessions.api.Template;
import dev.switchboard.sessions.api.TemplateKind;
import dev.switchboard.sessions.api.UnitType;

/** What is for sale: the template, product and offering rows. */
public final class CatalogRows {

    private final ObjectMapper mapper;

    public CatalogRows(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The template {@code id}, or null when there is none. */
    public Template findTemplate(Connection c, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT kind, schema_json FROM sb_template WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? new Template(id, TemplateKind.valueOf(r.getString(1)), r.getString(2)) : null;
            }
        }
    }

    public Template template(Connection c, String id) throws SQLException {
        Template template = findTemplate(c, id);
        if (template == null) {
            throw new SessionsException(Reason.UNKNOWN_TEMPLATE, "no template " + id);
        }
        return template;
    }

    public void insertTemplate(Connection c, Template template, long now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO sb_template (id, kind, schema_json, created) VALUES (?, ?, ?, ?)")) {
            s.setString(1, template.id());
            s.setString(2, template.kind().name());
            s.setString(3, template.schema());
            s.setLong(4, now);
            s.executeUpdate();
        }
    }

    public void insertProduct(Connection c, Product product, String credentialHash, long now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO sb_product (id, name, offer_template,"
                + " access_template, agent, usage_rep, credential_hash, service_endpoint, config, created)"
                + " VALUES (?, ?, ?, ?, ?, 'total', ?, ?, ?, ?)")) {
            s.setString(1, product.id());
            s.setString(2, product.name());
            s.setString(3, product.offerTemplate());
            s.setString(4, product.accessTemplate());
            s.setBoolean(5, product.agent());
            s.setString(6, credentialHash);
            s.setString(7, product.serviceEndpoint());
            s.setString(8, json(product.config()));
            s.setLong(9, now);
            s.executeUpdate();
        }
    }

    public Product product(Connection c, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT id, name, offer_template, access_template, agent,"
                + " usage_rep, service_endpoint, config FROM sb_product WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new SessionsException(Reason.UNKNOWN_PRODUCT, "no product " + id);
                }
                return new Product(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getBoolean(5),
                        r.getString(6), r.getString(7), configOf(r.getString(8)));
            }
        }
    }

    /** The SHA-256 of the product's adapter credential. */
    public String credentialHash(Connection c, String product) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT credential_hash FROM sb_product WHERE id = ?")) {
            s.setString(1, product);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new SessionsException(Reason.UNKNOWN_PRODUCT, "no product " + product);
                }
                return r.getString(1);
            }
        }
    }

    /** The product configuration that later access messages carry. */
    public void setConfig(Connection c, String product, Map<String, String> config) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE sb_product SET config = ? WHERE id = ?")) {
            s.setString(1, json(config));
            s.setString(2, product);
            if (s.executeUpdate() != 1) {
                throw new SessionsException(Reason.UNKNOWN_PRODUCT, "no product " + product);
            }
        }
    }

    public void insertOffering(Connection c, Offering o, long now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO sb_offering (id, product_id, name, unit_type,"
                + " unit_size, unit_price, setup_price, min_units, max_units, billing_interval, max_billing_lag,"
                + " max_inactive_sec, max_suspended_sec, supply, created)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, o.id());
            s.setString(2, o.product());
            s.setString(3, o.name());
            s.setString(4, o.unitType().name());
            s.setLong(5, o.unitSize());
            s.setLong(6, o.unitPrice());
            s.setLong(7, o.setupPrice());
            s.setLong(8, o.minUnits());
            s.setLong(9, o.maxUnits());
            s.setLong(10, o.billingInterval());
            s.setLong(11, o.maxBillingUnitLag());
            s.setLong(12, o.maxInactiveSeconds());
            s.setLong(13, o.maxSuspendedSeconds());
            s.setInt(14, o.supply());
            s.setLong(15, now);
            s.executeUpdate();
        }
    }

    public Offering offering(Connection c, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT id, product_id, name, unit_type, unit_size, unit_price,"
                + " setup_price, min_units, max_units, billing_interval, max_billing_lag, max_inactive_sec,"
                + " max_suspended_sec, supply FROM sb_offering WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new SessionsException(Reason.UNKNOWN_OFFERING, "no offering " + id);
                }
                return new Offering(r.getString(1), r.getString(2), r.getString(3), UnitType.valueOf(r.getString(4)),
                        r.getLong(5), r.getLong(6), r.getLong(7), r.getLong(8), r.getLong(9), r.getLong(10),
                        r.getLong(11), r.getLong(12), r.getLong(13), r.getInt(14));
            }
        }
    }

    /** Locks the offering's row: orders placed at once on it then count one after another. */
    public void lockOffering(Connection c, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM sb_offering WHERE id = ? FOR UPDATE")) {
            s.setString(1, id);
            s.executeQuery().close();
        }
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, String> configOf(String json) {
        try {
            return mapper.readValue(json, new TypeReference<LinkedHashMap<String, String>>() {
            });
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
