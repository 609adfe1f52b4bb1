package dev.stagecraft.platform.kafka;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.eclipse.microprofile.config.Config;

/**
 * How every Kafka client of a service reaches a broker that wants SASL and/or SSL: the channels of SmallRye
 * Reactive Messaging and the platform's own clients (the outbox producer, the topic bootstrap). The settings come
 * from environment variables ({@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_MECHANISM},
 * {@code KAFKA_SASL_JAAS_CONFIG}, {@code KAFKA_SSL_TRUSTSTORE_LOCATION}, …), which {@link KafkaSecurityConfigSource}
 * turns into {@code kafka.*} properties, the default config of every channel. Unset ones are left out, so the
 * clients keep Kafka's defaults (PLAINTEXT).
 */
public final class KafkaSecuritySettings {
    /** The Kafka client settings that may come from the environment, each as KAFKA_ + upper case, dots as '_'. */
    public static final List<String> CLIENT_PROPERTIES = List.of("security.protocol", "sasl.mechanism",
            "sasl.jaas.config", "sasl.login.callback.handler.class", "sasl.client.callback.handler.class",
            "sasl.oauthbearer.token.endpoint.url", "ssl.truststore.location", "ssl.truststore.password",
            "ssl.truststore.type", "ssl.truststore.certificates", "ssl.keystore.location", "ssl.keystore.password",
            "ssl.keystore.type", "ssl.key.password", "ssl.endpoint.identification.algorithm");

    /** The environment variable of a client property: {@code sasl.jaas.config} → {@code KAFKA_SASL_JAAS_CONFIG}. */
    public static String environmentVariable(String clientProperty) {
        return "KAFKA_" + clientProperty.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /** The client properties set in {@code environment} (blank values count as unset). */
    public static Map<String, String> fromEnvironment(Map<String, String> environment) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String property : CLIENT_PROPERTIES) {
            String value = environment.get(environmentVariable(property));
            if (value != null && !value.isBlank()) {
                settings.put(property, value);
            }
        }
        return settings;
    }

    /** The client properties a service's config holds as {@code kafka.*}, for clients built by hand. */
    public static Map<String, Object> clientProperties(Config config) {
        Map<String, Object> settings = new LinkedHashMap<>();
        for (String property : CLIENT_PROPERTIES) {
            config.getOptionalValue("kafka." + property, String.class).filter(v -> !v.isBlank())
                    .ifPresent(value -> settings.put(property, value));
        }
        return settings;
    }

    private KafkaSecuritySettings() {
    }
}
