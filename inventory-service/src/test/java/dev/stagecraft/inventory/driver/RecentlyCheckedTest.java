package dev.stagecraft.inventory.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RecentlyCheckedTest {
    private final AtomicLong now = new AtomicLong();
    private final List<String> checked = new ArrayList<>();
    private final RecentlyChecked<String, String> answers = new RecentlyChecked<>(Duration.ofSeconds(10), now::get);
    private final Function<String, String> check = key -> {
        checked.add(key);
        return key + "#" + checked.size();
    };

    /** The same key asked again after {@code laterSeconds}: checked again only once the answer is 10 s old. */
    @ParameterizedTest
    @CsvSource({ "0, 1, a#1", "9, 1, a#1", "9.999, 1, a#1", "10, 2, a#2", "60, 2, a#2" })
    void anAnswerStandsForItsTime(double laterSeconds, int checks, String second) {
        assertEquals("a#1", answers.get("a", check));
        now.addAndGet((long) (laterSeconds * 1e9));
        assertEquals(second, answers.get("a", check));
        assertEquals(checks, checked.size());
    }

    @Test
    void eachKeyIsCheckedOnItsOwn() {
        answers.get("a", check);
        answers.get("b", check);
        answers.get("a", check);
        assertEquals(List.of("a", "b"), checked);
    }

    @Test
    void aFailedCheckIsNotRemembered() {
        assertThrows(IllegalStateException.class, () -> answers.get("a", key -> {
            throw new IllegalStateException("refused");
        }));
        assertEquals("a#1", answers.get("a", check), "asked again, checked again");
    }

    @Test
    void expiredAnswersAreDroppedOnceThereAreMany() {
        for (int i = 0; i <= RecentlyChecked.PRUNE_ABOVE; i++) {
            answers.get("k" + i, check);
        }
        now.addAndGet(Duration.ofSeconds(11).toNanos());
        answers.get("new", check);
        assertEquals(1, answers.size(), "only the fresh answer is kept");
        assertTrue(checked.contains("new"));
    }
}
