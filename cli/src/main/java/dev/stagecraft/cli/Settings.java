package dev.stagecraft.cli;

import java.net.URI;
import java.util.Map;

/**
 * Where the services are and which token to send: environment variables first ({@code STAGECRAFT_URL},
 * {@code STAGECRAFT_TOKEN}, {@code STAGECRAFT_INVENTORY_URL}, {@code STAGECRAFT_HEALTH_URL},
 * {@code STAGECRAFT_ROLLOUT_URL}), then the current context of the config file. The other services' URLs
 * default to the local layout: release-service's host with its port + 1 (rollout), + 2 (inventory), + 3 (health).
 */
public record Settings(String releaseUrl, String rolloutUrl, String inventoryUrl, String healthUrl, String token) {
    public static final String DEFAULT_URL = "http://127.0.0.1:8080";

    public static Settings resolve(Map<String, String> env, ConfigFile config, String contextOverride) {
        Map<String, String> context = config.context(contextOverride);
        String release = trim(first(env.get("STAGECRAFT_URL"), context.get("url"), DEFAULT_URL));
        return new Settings(release,
                trim(first(env.get("STAGECRAFT_ROLLOUT_URL"), context.get("rollout-url"), shifted(release, 1))),
                trim(first(env.get("STAGECRAFT_INVENTORY_URL"), context.get("inventory-url"), shifted(release, 2))),
                trim(first(env.get("STAGECRAFT_HEALTH_URL"), context.get("health-url"), shifted(release, 3))),
                first(env.get("STAGECRAFT_TOKEN"), context.get("token"), null));
    }

    static String shifted(String url, int offset) {
        URI uri = URI.create(url);
        int port = uri.getPort() == -1 ? ("https".equals(uri.getScheme()) ? 443 : 80) : uri.getPort();
        return uri.getScheme() + "://" + uri.getHost() + ":" + (port + offset);
    }

    private static String first(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    private static String trim(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
