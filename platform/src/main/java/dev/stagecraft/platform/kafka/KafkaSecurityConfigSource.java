package dev.stagecraft.platform.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * {@code kafka.security.protocol}, {@code kafka.sasl.*} and {@code kafka.ssl.*} from the environment variables
 * {@link KafkaSecuritySettings} names, but only those that are set: a property with an empty value would reach the
 * clients as "" (an invalid mechanism or keystore type) rather than not at all. Ordinal 295: an
 * application.properties entry (250) yields to it, an explicit system property or the environment's own mapping
 * (300+) wins.
 */
public class KafkaSecurityConfigSource implements ConfigSource {
    private final Map<String, String> properties;

    public KafkaSecurityConfigSource() {
        this(System.getenv());
    }

    KafkaSecurityConfigSource(Map<String, String> environment) {
        Map<String, String> mapped = new HashMap<>();
        KafkaSecuritySettings.fromEnvironment(environment).forEach((k, v) -> mapped.put("kafka." + k, v));
        this.properties = Map.copyOf(mapped);
    }

    @Override
    public Map<String, String> getProperties() {
        return properties;
    }

    @Override
    public Set<String> getPropertyNames() {
        return properties.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return properties.get(propertyName);
    }

    @Override
    public String getName() {
        return "stagecraft-kafka-security-env";
    }

    @Override
    public int getOrdinal() {
        return 295;
    }
}
