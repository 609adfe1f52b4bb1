package dev.stagecraft.platform.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.junit.jupiter.api.Test;

import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

class KafkaSecuritySettingsTest {
    private static final Map<String, String> SASL_SSL = Map.of(
            "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
            "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
            "KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                    + " username=\"release-service\" password=\"p\";",
            "KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/stagecraft/kafka-truststore.p12",
            "KAFKA_SSL_TRUSTSTORE_PASSWORD", "changeit",
            "KAFKA_SSL_TRUSTSTORE_TYPE", "PKCS12",
            "KAFKA_SASL_KERBEROS_SERVICE_NAME", "not one of ours",
            "KAFKA_SSL_KEYSTORE_TYPE", " ");

    @Test
    void theEnvironmentVariablesBecomeTheClientsOwnSettingNames() {
        Map<String, String> settings = KafkaSecuritySettings.fromEnvironment(SASL_SSL);
        // the names must be Kafka's own, or the clients would ignore them
        assertEquals("SASL_SSL", settings.get(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG));
        assertEquals("SCRAM-SHA-512", settings.get(SaslConfigs.SASL_MECHANISM));
        assertEquals(SASL_SSL.get("KAFKA_SASL_JAAS_CONFIG"), settings.get(SaslConfigs.SASL_JAAS_CONFIG));
        assertEquals("/etc/stagecraft/kafka-truststore.p12", settings.get(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG));
        assertEquals("changeit", settings.get(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG));
        assertEquals("PKCS12", settings.get(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG));
        assertNull(settings.get(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG), "blank counts as unset");
        assertEquals(6, settings.size(), settings.toString());
    }

    @Test
    void theConfigSourceGivesEveryChannelAndTheHandBuiltClientsTheSameSettings() {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withSources(new KafkaSecurityConfigSource(SASL_SSL)).build();
        // channels read kafka.* (their default config); the outbox producer and the topic bootstrap read these
        assertEquals("SASL_SSL", config.getValue("kafka.security.protocol", String.class));
        Map<String, Object> clients = KafkaSecuritySettings.clientProperties(config);
        assertEquals(KafkaSecuritySettings.fromEnvironment(SASL_SSL), clients);
    }

    @Test
    void withNothingSetTheClientsKeepKafkasDefaults() {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withSources(new KafkaSecurityConfigSource(Map.of())).build();
        assertEquals(Map.of(), KafkaSecuritySettings.clientProperties(config));
        assertEquals(0, new KafkaSecurityConfigSource(Map.of()).getPropertyNames().size());
    }
}
