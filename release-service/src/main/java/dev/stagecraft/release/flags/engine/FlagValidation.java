package dev.stagecraft.release.flags.engine;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads a flag definition from its JSON body and names every problem with the field it is in
 * ({@code rules[1].split[0].percent}), so that nothing half-valid is ever stored. Pure: the REST layer turns the
 * problems into a 400.
 */
public final class FlagValidation {
    public static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Set<String> FLAG_FIELDS = Set.of("variants", "defaultVariant", "state", "rules");
    private static final Set<String> RULE_FIELDS = Set.of("when", "variant", "split");
    private static final Set<String> CONDITION_FIELDS = Set.of("attribute", "op", "value");
    private static final Set<String> SHARE_FIELDS = Set.of("variant", "percent");

    /** Either a definition or the problems, field → message, in the order found. */
    public record Result(FlagDefinition definition, Map<String, String> problems) {
        public boolean valid() {
            return problems.isEmpty();
        }
    }

    private final Map<String, String> problems = new LinkedHashMap<>();

    private FlagValidation() {
    }

    public static Result check(String key, JsonNode body) {
        return new FlagValidation().read(key, body);
    }

    private Result read(String key, JsonNode body) {
        if (key == null || !KEY.matcher(key).matches()) {
            problem("key", "'" + key + "' must be 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (body == null || !body.isObject()) {
            problem("body", "must be a JSON object with variants, defaultVariant, state and rules");
            return new Result(null, problems);
        }
        unknownFields(body, FLAG_FIELDS, "");
        Map<String, JsonNode> variants = variants(body.get("variants"));
        String defaultVariant = null;
        JsonNode def = body.get("defaultVariant");
        if (def == null || !def.isTextual()) {
            problem("defaultVariant", "is required: the name of one of the variants");
        } else if (!variants.containsKey(def.asText()) && !problems.containsKey("variants")) {
            problem("defaultVariant", "'" + def.asText() + "' is not one of the variants " + variants.keySet());
        } else {
            defaultVariant = def.asText();
        }
        FlagState state = FlagState.ENABLED;
        JsonNode stateNode = body.get("state");
        if (stateNode != null && !stateNode.isNull()) {
            if (stateNode.isTextual() && (stateNode.asText().equals("ENABLED") || stateNode.asText().equals("DISABLED"))) {
                state = FlagState.valueOf(stateNode.asText());
            } else {
                problem("state", "'" + stateNode.asText() + "' must be ENABLED or DISABLED");
            }
        }
        List<FlagRule> rules = rules(body.get("rules"), variants);
        if (!problems.isEmpty()) {
            return new Result(null, problems);
        }
        return new Result(new FlagDefinition(key, variants, defaultVariant, state, rules), problems);
    }

    private Map<String, JsonNode> variants(JsonNode node) {
        Map<String, JsonNode> variants = new LinkedHashMap<>();
        if (node == null || !node.isObject() || node.isEmpty()) {
            problem("variants", "is required: an object of at least one variant name → value");
            return variants;
        }
        String firstType = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> variant = it.next();
            String field = "variants." + variant.getKey();
            String type = typeOf(variant.getValue());
            if (!KEY.matcher(variant.getKey()).matches()) {
                problem(field, "a variant name must be 1-128 letters, digits, '.', '_' or '-'");
            } else if (type == null) {
                problem(field, "must be a boolean, a string, a number or an object");
            } else if (firstType != null && !firstType.equals(type)) {
                problem(field, "is a " + type + ", but the first variant is a " + firstType
                        + ": all variants of a flag have one type");
            } else {
                firstType = type;
            }
            variants.put(variant.getKey(), variant.getValue());
        }
        return variants;
    }

    private static String typeOf(JsonNode value) {
        if (value.isBoolean()) {
            return "boolean";
        }
        if (value.isTextual()) {
            return "string";
        }
        if (value.isNumber()) {
            return "number";
        }
        if (value.isObject()) {
            return "object";
        }
        return null;
    }

    private List<FlagRule> rules(JsonNode node, Map<String, JsonNode> variants) {
        List<FlagRule> rules = new ArrayList<>();
        if (node == null || node.isNull()) {
            return rules;
        }
        if (!node.isArray()) {
            problem("rules", "must be a list of rules");
            return rules;
        }
        for (int i = 0; i < node.size(); i++) {
            String field = "rules[" + i + "]";
            JsonNode rule = node.get(i);
            if (!rule.isObject()) {
                problem(field, "must be an object {when, variant} or {when, split}");
                continue;
            }
            unknownFields(rule, RULE_FIELDS, field + ".");
            List<Condition> when = conditions(rule.get("when"), field + ".when");
            JsonNode variant = rule.get("variant");
            JsonNode split = rule.get("split");
            if ((variant == null) == (split == null)) {
                problem(field, "needs exactly one of variant and split");
                continue;
            }
            if (variant != null) {
                if (!variant.isTextual() || !variants.containsKey(variant.asText())) {
                    problem(field + ".variant", "'" + variant.asText() + "' is not one of the variants " + variants.keySet());
                } else {
                    rules.add(new FlagRule(when, variant.asText(), null));
                }
            } else {
                rules.add(new FlagRule(when, null, shares(split, field + ".split", variants)));
            }
        }
        return rules;
    }

    private List<Condition> conditions(JsonNode node, String field) {
        List<Condition> conditions = new ArrayList<>();
        if (node == null || node.isNull()) {
            return conditions;
        }
        if (node.isObject()) {
            condition(node, field).ifPresent(conditions::add);
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                condition(node.get(i), field + "[" + i + "]").ifPresent(conditions::add);
            }
        } else {
            problem(field, "must be a condition {attribute, op, value} or a list of them (all must hold)");
        }
        return conditions;
    }

    private Optional<Condition> condition(JsonNode node, String field) {
        if (!node.isObject()) {
            problem(field, "must be a condition {attribute, op, value}");
            return Optional.empty();
        }
        unknownFields(node, CONDITION_FIELDS, field + ".");
        int before = problems.size();
        JsonNode attribute = node.get("attribute");
        if (attribute == null || !attribute.isTextual() || attribute.asText().isBlank()) {
            problem(field + ".attribute", "is required: the name of a context attribute, e.g. targetingKey or plan");
        }
        JsonNode opNode = node.get("op");
        Op op = opNode != null && opNode.isTextual() ? Op.parse(opNode.asText()).orElse(null) : null;
        if (op == null) {
            problem(field + ".op", "'" + (opNode == null ? "" : opNode.asText()) + "' must be one of "
                    + Arrays.stream(Op.values()).map(Op::wire).toList());
        }
        JsonNode value = node.get("value");
        if (value == null || value.isNull()) {
            problem(field + ".value", "is required");
        } else if (op != null && op.wantsList() && !value.isArray()) {
            problem(field + ".value", op.wire() + " needs a list of values");
        } else if (op != null && op.wantsNumber() && !value.isNumber()) {
            problem(field + ".value", op.wire() + " needs a number");
        } else if (op != null && op.wantsString() && !value.isTextual()) {
            problem(field + ".value", op.wire() + " needs a string");
        }
        if (problems.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new Condition(attribute.asText(), op, value));
    }

    private List<Share> shares(JsonNode node, String field, Map<String, JsonNode> variants) {
        List<Share> shares = new ArrayList<>();
        if (node == null || !node.isArray() || node.isEmpty()) {
            problem(field, "must be a list of {variant, percent}");
            return shares;
        }
        int total = 0;
        int before = problems.size();
        for (int i = 0; i < node.size(); i++) {
            String at = field + "[" + i + "]";
            JsonNode share = node.get(i);
            if (!share.isObject()) {
                problem(at, "must be {variant, percent}");
                continue;
            }
            unknownFields(share, SHARE_FIELDS, at + ".");
            JsonNode variant = share.get("variant");
            if (variant == null || !variant.isTextual() || !variants.containsKey(variant.asText())) {
                problem(at + ".variant", "'" + (variant == null ? "" : variant.asText()) + "' is not one of the variants "
                        + variants.keySet());
            }
            JsonNode percent = share.get("percent");
            BigDecimal basisPoints = percent != null && percent.isNumber()
                    ? percent.decimalValue().movePointRight(2) : null;
            if (basisPoints == null || basisPoints.signum() < 0 || basisPoints.compareTo(BigDecimal.valueOf(10_000)) > 0
                    || basisPoints.stripTrailingZeros().scale() > 0) {
                problem(at + ".percent", "must be a number from 0 to 100 with at most two decimals");
                continue;
            }
            total += basisPoints.intValueExact();
            if (variant != null && variant.isTextual()) {
                shares.add(new Share(variant.asText(), basisPoints.intValueExact()));
            }
        }
        if (problems.size() == before && total != Bucket.BUCKETS) {
            problem(field, "the percents add up to " + BigDecimal.valueOf(total, 2).stripTrailingZeros().toPlainString()
                    + ", not 100");
        }
        return shares;
    }

    private void unknownFields(JsonNode node, Set<String> known, String prefix) {
        node.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                problem(prefix + name, "is not a field here (known: " + known.stream().sorted().toList() + ")");
            }
        });
    }

    private void problem(String field, String message) {
        problems.putIfAbsent(field, message);
    }
}
