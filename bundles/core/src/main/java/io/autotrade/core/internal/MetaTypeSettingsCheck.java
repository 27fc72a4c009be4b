package io.autotrade.core.internal;

import io.autotrade.api.config.SettingsCheck;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * {@link SettingsCheck} on the Metatype Service (OSGi Compendium 105): a PID's settings are the
 * attribute definitions of the object class some bundle designates for it, and a value is checked with
 * {@link AttributeDefinition#validate(String)} (type, range and options, 105.7).
 */
@Component
public class MetaTypeSettingsCheck implements SettingsCheck {
    private static final List<String> UNCHECKED_PREFIXES = List.of("service.", "component.", "felix.", "osgi.");
    private final BundleContext context;
    private final MetaTypeService metaType;

    /**
     * @param context  to find the bundles that declare metatypes
     * @param metaType the framework's Metatype Service
     */
    @Activate
    public MetaTypeSettingsCheck(BundleContext context, @Reference MetaTypeService metaType) {
        this.context = context;
        this.metaType = metaType;
    }

    @Override
    public Optional<List<String>> settings(String pid) {
        return definition(pid).map(ocd -> Arrays.stream(attributes(ocd)).map(AttributeDefinition::getID).sorted().toList());
    }

    @Override
    public List<String> factoryPids(String prefix) {
        TreeSet<String> pids = new TreeSet<>();
        for (Bundle bundle : context.getBundles()) {
            MetaTypeInformation info = metaType.getMetaTypeInformation(bundle);
            if (info != null) {
                Arrays.stream(info.getFactoryPids()).filter(p -> p.startsWith(prefix)).forEach(pids::add);
            }
        }
        return List.copyOf(pids);
    }

    @Override
    public List<String> problems(String pid, Map<String, ?> properties, boolean complete) {
        Optional<ObjectClassDefinition> ocd = definition(pid);
        if (ocd.isEmpty()) {
            return List.of();
        }
        AttributeDefinition[] declared = attributes(ocd.get());
        List<String> ids = Arrays.stream(declared).map(AttributeDefinition::getID).sorted().toList();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, ?> e : properties.entrySet()) {
            String key = e.getKey();
            if (UNCHECKED_PREFIXES.stream().anyMatch(key::startsWith)) {
                continue;
            }
            Optional<AttributeDefinition> ad = Arrays.stream(declared).filter(a -> a.getID().equals(key)).findFirst();
            if (ad.isEmpty()) {
                problems.add("'" + key + "' is not a setting of " + factoryPid(pid) + " (settings: " + String.join(", ", ids) + ")");
                continue;
            }
            String value = e.getValue() == null ? "" : String.valueOf(e.getValue()).strip();
            String refused = ad.get().validate(value);
            if (refused != null && !refused.isEmpty()) {
                problems.add(key + " = '" + value + "' is refused: " + refused + " (expected " + expected(ad.get()) + ")");
            }
        }
        if (complete) {
            for (AttributeDefinition required : ocd.get().getAttributeDefinitions(ObjectClassDefinition.REQUIRED)) {
                if (required.getDefaultValue() == null && !properties.containsKey(required.getID())) {
                    problems.add(required.getID() + " is required by " + factoryPid(pid) + " and is not set");
                }
            }
        }
        return problems;
    }

    /** @return what the attribute takes, e.g. {@code a whole number} or {@code one of SMA, EMA} */
    private static String expected(AttributeDefinition ad) {
        if (ad.getOptionValues() != null && ad.getOptionValues().length > 0) {
            return "one of " + String.join(", ", ad.getOptionValues());
        }
        return switch (ad.getType()) {
            case AttributeDefinition.INTEGER, AttributeDefinition.LONG, AttributeDefinition.SHORT, AttributeDefinition.BYTE ->
                "a whole number";
            case AttributeDefinition.DOUBLE, AttributeDefinition.FLOAT -> "a number";
            case AttributeDefinition.BOOLEAN -> "true or false";
            default -> "text";
        };
    }

    private static AttributeDefinition[] attributes(ObjectClassDefinition ocd) {
        AttributeDefinition[] all = ocd.getAttributeDefinitions(ObjectClassDefinition.ALL);
        return all == null ? new AttributeDefinition[0] : all;
    }

    /** @return the object class designated for the PID, or for the factory PID of {@code factoryPid~name} */
    private Optional<ObjectClassDefinition> definition(String pid) {
        String factory = factoryPid(pid);
        for (Bundle bundle : context.getBundles()) {
            MetaTypeInformation info = metaType.getMetaTypeInformation(bundle);
            if (info == null) {
                continue;
            }
            boolean declares = Arrays.asList(info.getPids()).contains(factory)
                    || Arrays.asList(info.getFactoryPids()).contains(factory);
            if (declares) {
                try {
                    return Optional.ofNullable(info.getObjectClassDefinition(factory, null));
                } catch (IllegalArgumentException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    private static String factoryPid(String pid) {
        int tilde = pid.indexOf('~');
        return tilde > 0 ? pid.substring(0, tilde) : pid;
    }
}
