package dev.switchboard.adapter.socks.testing;

import java.util.Map;

import dev.switchboard.sessions.api.NewOffering;
import dev.switchboard.sessions.api.NewProduct;
import dev.switchboard.sessions.api.Offering;
import dev.switchboard.sessions.api.PlacedOrder;
import dev.switchboard.sessions.api.ProductCreated;
import dev.switchboard.sessions.api.Sessions;
import dev.switchboard.sessions.api.Template;
import dev.switchboard.sessions.api.TemplateKind;
import dev.switchboard.sessions.api.UnitType;

/** What an operator sets up before a proxy can sell: templates, a proxy product, a bytes offering. */
public record Market(Sessions sessions, ProductCreated product, Offering offering) {

    public static final String ACCESS_SCHEMA = "{\"type\":\"object\",\"required\":[\"username\",\"password\","
            + "\"additionalParams\"],\"properties\":{\"additionalParams\":{\"type\":\"object\","
            + "\"additionalProperties\":{\"type\":\"string\"}}}}";

    /** 1 unit = 1 byte at price 1; an order may use {@code lag} bytes beyond what it paid. */
    public static Market open(Sessions sessions, long lag) {
        return open(sessions, lag, "proxy.example:1080");
    }

    /** As {@link #open(Sessions, long)}, the product's service endpoint {@code endpoint} until an agent pushes its own. */
    public static Market open(Sessions sessions, long lag, String endpoint) {
        Template offer = sessions.registerTemplate(TemplateKind.OFFER, "{\"type\":\"object\"}");
        Template access = sessions.registerTemplate(TemplateKind.ACCESS, ACCESS_SCHEMA);
        ProductCreated product = sessions.createProduct(new NewProduct("socks", offer.id(), access.id(), true,
                endpoint, Map.of("operator", "kept")));
        Offering offering = sessions.createOffering(new NewOffering(product.product().id(), "bytes", UnitType.BYTES,
                1, 1, 0, 0, 0, 1, lag, 0, 0, 0));
        return new Market(sessions, product, offering);
    }

    /** An order that may use about a gigabyte unpaid. */
    public static Market open(Sessions sessions) {
        return open(sessions, 1L << 30);
    }

    public String productId() {
        return product.product().id();
    }

    public String credential() {
        return product.credential();
    }

    public PlacedOrder order() {
        return sessions.placeOrder(offering.id(), 1L << 40);
    }
}
