package dev.stagecraft.platform.persistence;

import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.type.TypeReference;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** A {@code Map<String,String>} (config variables) stored as a JSON object, keys sorted for stable diffs. */
@Converter
public class StringMapConverter implements AttributeConverter<Map<String, String>, String> {
    private static final TypeReference<TreeMap<String, String>> TYPE = new TypeReference<>() {
    };

    @Override
    public String convertToDatabaseColumn(Map<String, String> value) {
        return JsonText.write(value == null ? Map.of() : new TreeMap<>(value));
    }

    @Override
    public Map<String, String> convertToEntityAttribute(String json) {
        return json == null ? new TreeMap<>() : JsonText.read(json, TYPE);
    }
}
