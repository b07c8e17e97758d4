package dev.switchboard.controller.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * Checks a configuration sent to the Controller against what the plugin kind declares in its metatype
 * (type, range, choices), so that a caller is told at once which value the plugin would refuse and
 * why, in the words the plugin's own log line uses. Keys the metatype does not declare are left to
 * the plugin, which names them in a WARN line.
 */
final class ConfigurationCheck {

    private final BundleContext context;

    ConfigurationCheck(BundleContext context) {
        this.context = context;
    }

    /** What is wrong, by key; empty when every declared value is acceptable or nothing declares them. */
    Map<String, String> problems(MetaTypeService metatype, String factoryPid, Map<String, Object> values) {
        Map<String, String> problems = new LinkedHashMap<>();
        ObjectClassDefinition definition = metatype == null || factoryPid == null ? null : definition(metatype, factoryPid);
        if (definition == null) {
            return problems;
        }
        AttributeDefinition[] attributes = definition.getAttributeDefinitions(ObjectClassDefinition.ALL);
        for (AttributeDefinition attribute : attributes == null ? new AttributeDefinition[0] : attributes) {
            Object value = values.get(attribute.getID());
            if (value != null && !ConfigurationValues.MASK.equals(value)) {
                String why = problem(attribute, value);
                if (why != null) {
                    problems.put(attribute.getID(), why);
                }
            }
        }
        return problems;
    }

    private ObjectClassDefinition definition(MetaTypeService metatype, String factoryPid) {
        for (Bundle bundle : context.getBundles()) {
            MetaTypeInformation information = metatype.getMetaTypeInformation(bundle);
            if (information != null && List.of(information.getFactoryPids()).contains(factoryPid)) {
                try {
                    return information.getObjectClassDefinition(factoryPid, null);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return null;
    }

    static String problem(AttributeDefinition attribute, Object value) {
        String text = String.valueOf(value).trim();
        switch (attribute.getType()) {
            case AttributeDefinition.INTEGER, AttributeDefinition.LONG, AttributeDefinition.SHORT, AttributeDefinition.BYTE -> {
                if (value instanceof Double || value instanceof Float || value instanceof Boolean || !isWholeNumber(text)) {
                    return text.isEmpty() ? "is empty" : "is not a whole number";
                }
                String range = attribute.validate(text);
                // Felix answers "greater than maximum" or "less than minimum"
                return range == null || range.isEmpty() ? null
                        : "is " + range.replace("maximum", "the plugin's maximum").replace("minimum", "the plugin's minimum");
            }
            case AttributeDefinition.BOOLEAN -> {
                return value instanceof Boolean || text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")
                        ? null : "is not true or false";
            }
            default -> {
                String[] options = attribute.getOptionValues();
                if (options != null && options.length > 0
                        && List.of(options).stream().noneMatch(o -> o.equalsIgnoreCase(text))) {
                    return "is not one of " + List.of(options);
                }
                return null;
            }
        }
    }

    private static boolean isWholeNumber(String text) {
        try {
            Long.parseLong(text);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The line a refusal answers with: each key, its value and why, as the plugin's log line says it. */
    static String summary(Map<String, String> problems, Map<String, Object> values) {
        StringBuilder text = new StringBuilder();
        problems.forEach((key, why) -> text.append(text.length() == 0 ? "" : "; ").append(key).append(" = \"")
                .append(values.get(key)).append("\" ").append(why));
        return text.toString();
    }
}
