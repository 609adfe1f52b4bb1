package dev.stagecraft.inventory.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PoolWeightsTest {

    static Map<String, List<String>> pools(int canaries, int stables) {
        Map<String, List<String>> pools = new LinkedHashMap<>();
        pools.put("canary", ids("c", canaries));
        pools.put("stable", ids("s", stables));
        return pools;
    }

    static List<String> ids(String prefix, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(prefix + i);
        }
        return ids;
    }

    @ParameterizedTest(name = "canary {0}% over {1} canary and {2} stable instances: canary weight {3}, stable {4}")
    @CsvSource({
            // share, canaries, stables, canary weight, stable weight
            "5,   1, 4,  21, 100",
            "25,  1, 4, 100,  75",
            "50,  1, 4, 100,  25",
            "100, 1, 4, 100,   0",
            "0,   1, 4,   0, 100",
            "25,  2, 2,  33, 100",
            "1,   1, 9,   9, 100",
            "99,  1, 1, 100,   1",
            "5,   2, 8,  21, 100",
    })
    void splitsSharesIntoInstanceWeights(int share, int canaries, int stables, int canaryWeight, int stableWeight) {
        PoolWeights.Split split = PoolWeights.split(Map.of("canary", share, "stable", 100 - share),
                pools(canaries, stables));
        assertTrue(split.problem().isEmpty(), split.problem().toString());
        assertEquals(canaryWeight, split.weights().get("c0"));
        assertEquals(stableWeight, split.weights().get("s0"));
        // what the router then delivers stays within half a point of what was asked
        Map<String, String> poolOf = new HashMap<>();
        pools(canaries, stables).forEach((pool, ids) -> ids.forEach(id -> poolOf.put(id, pool)));
        double delivered = PoolWeights.effectiveShares(split.weights(), poolOf).get("canary");
        assertEquals(share, delivered, 0.5, "effective canary share");
    }

    @ParameterizedTest(name = "{0} → refused: {1}")
    @CsvSource(delimiter = '|', value = {
            "canary=30,stable=30 | add up to 60%",
            "canary=25,stable=75,green=10 | add up to 110%",
            "green=25,stable=75 | pool green has no instances to take 25%",
            "canary=-5,stable=105 | negative share",
    })
    void refusesSplitsThatCannotBeCarriedOut(String shares, String why) {
        Map<String, Integer> asked = new LinkedHashMap<>();
        for (String pair : shares.split(",")) {
            asked.put(pair.split("=")[0], Integer.parseInt(pair.split("=")[1]));
        }
        PoolWeights.Split split = PoolWeights.split(asked, pools(1, 4));
        assertTrue(split.problem().orElseThrow().contains(why), split.problem().toString());
        assertTrue(split.weights().isEmpty());
    }

    @ParameterizedTest(name = "instances of a pool the split does not name get nothing")
    @CsvSource({ "green" })
    void poolsLeftOutGetNoTraffic(String other) {
        Map<String, List<String>> pools = pools(1, 2);
        pools.put(other, List.of("g0"));
        PoolWeights.Split split = PoolWeights.split(Map.of("canary", 50, "stable", 50), pools);
        assertEquals(0, split.weights().get("g0"));
    }
}
