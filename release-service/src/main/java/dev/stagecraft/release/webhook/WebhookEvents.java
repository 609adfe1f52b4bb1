package dev.stagecraft.release.webhook;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import dev.stagecraft.contracts.EventTypes;

/**
 * The events a subscription can ask for, by the short names users write ({@code deployment.succeeded},
 * {@code flag.changed}) and the CloudEvents types they stand for: the deployment lifecycle and feature flag changes.
 * A type added to the contracts reaches webhooks once it is listed here (and its topic is read by
 * {@link WebhookEventsConsumer}).
 */
public final class WebhookEvents {
    /** Every event, including types added later. */
    public static final String ALL = "*";
    private static final String PREFIX = "dev.stagecraft.";

    private static final Map<String, String> TYPE_BY_NAME = byShortName(EventTypes.DEPLOYMENT_REQUESTED,
            EventTypes.DEPLOYMENT_AWAITING_APPROVAL, EventTypes.DEPLOYMENT_QUEUED, EventTypes.DEPLOYMENT_STARTED,
            EventTypes.DEPLOYMENT_PROGRESSED, EventTypes.DEPLOYMENT_PAUSED, EventTypes.DEPLOYMENT_RESUMED,
            EventTypes.DEPLOYMENT_SUCCEEDED, EventTypes.DEPLOYMENT_BAKING, EventTypes.DEPLOYMENT_BAKED,
            EventTypes.DEPLOYMENT_BAKE_FAILED, EventTypes.DEPLOYMENT_ROLLBACK_ENDED, EventTypes.DEPLOYMENT_ROLLING_BACK,
            EventTypes.DEPLOYMENT_ROLLED_BACK, EventTypes.DEPLOYMENT_FAILED, EventTypes.DEPLOYMENT_ABORTED,
            EventTypes.DEPLOYMENT_REJECTED, EventTypes.DEPLOYMENT_WITHDRAWN, EventTypes.FLAG_CHANGED);

    private WebhookEvents() {
    }

    /** Short names, in lifecycle order. */
    public static Set<String> names() {
        return TYPE_BY_NAME.keySet();
    }

    /** CloudEvents types, in lifecycle order. */
    public static Collection<String> types() {
        return TYPE_BY_NAME.values();
    }

    public static boolean isKnown(String name) {
        return ALL.equals(name) || TYPE_BY_NAME.containsKey(name);
    }

    /** {@code dev.stagecraft.deployment.succeeded} → {@code deployment.succeeded}. */
    public static String shortName(String type) {
        return type.startsWith(PREFIX) ? type.substring(PREFIX.length()) : type;
    }

    public static boolean wants(Collection<String> subscribed, String shortName) {
        return subscribed.contains(ALL) || subscribed.contains(shortName);
    }

    private static Map<String, String> byShortName(String... types) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String type : types) {
            map.put(shortName(type), type);
        }
        return java.util.Collections.unmodifiableMap(map);
    }
}
