package dev.stagecraft.platform.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/** Decodes a Kafka record in CloudEvents binary mode; anything that is not one is a poison record. */
@ApplicationScoped
public class CloudEventReader {
    private static final Logger LOG = Logger.getLogger(CloudEventReader.class);

    /**
     * As {@link #read(ConsumerRecord)}, for {@code consumer}: a poison record is logged with where it lies before it
     * is thrown on, to the channel's dead-letter strategy.
     */
    public InboundEvent read(String consumer, ConsumerRecord<String, String> record) {
        try {
            return read(record);
        } catch (PoisonRecordException e) {
            LOG.warnf("%s: dead-lettering record at %s-%d@%d: %s", consumer, record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            throw e;
        }
    }

    private final ObjectMapper mapper;

    public CloudEventReader(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public InboundEvent read(ConsumerRecord<String, String> record) {
        String id = CloudEventHeaders.value(record, CloudEventHeaders.ID);
        String type = CloudEventHeaders.value(record, CloudEventHeaders.TYPE);
        String specVersion = CloudEventHeaders.value(record, CloudEventHeaders.SPEC_VERSION);
        if (id == null || type == null || specVersion == null) {
            throw new PoisonRecordException("not a CloudEvent: headers ce_id, ce_type and ce_specversion are required"
                    + " (topic " + record.topic() + ", offset " + record.offset() + ")");
        }
        if (!CloudEventHeaders.SPEC_VERSION_1_0.equals(specVersion)) {
            throw new PoisonRecordException("unsupported CloudEvents specversion " + specVersion);
        }
        if (record.value() == null) {
            throw new PoisonRecordException("CloudEvent " + id + " of type " + type + " has no data");
        }
        JsonNode data;
        try {
            data = mapper.readTree(record.value());
        } catch (Exception e) {
            throw new PoisonRecordException("data of CloudEvent " + id + " is not JSON: " + e.getMessage(), e);
        }
        return new InboundEvent(id, type, CloudEventHeaders.value(record, CloudEventHeaders.SOURCE), record.key(),
                record.topic(), data, mapper);
    }
}
