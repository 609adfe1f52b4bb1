package dev.stagecraft.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class BenchmarkReportTest {
    @Test
    void replacesOnlyTheFencedSection() {
        List<String> page = List.of("# Performance", "<!-- benchmark:saga begin -->", "old 1", "old 2",
                "<!-- benchmark:saga end -->", "## After");
        assertEquals(List.of("# Performance", "<!-- benchmark:saga begin -->", "new", "<!-- benchmark:saga end -->",
                "## After"), BenchmarkReport.replaceSection(page, "saga", List.of("new")));
    }

    @Test
    void leavesOtherBenchmarksSectionsAlone() {
        List<String> page = List.of("<!-- benchmark:scale begin -->", "scale figures", "<!-- benchmark:scale end -->");
        assertEquals(List.of("<!-- benchmark:scale begin -->", "scale figures", "<!-- benchmark:scale end -->", "",
                "<!-- benchmark:saga begin -->", "a", "b", "<!-- benchmark:saga end -->"),
                BenchmarkReport.replaceSection(page, "saga", List.of("a", "b")));
    }

    @Test
    void anUnclosedFenceIsNotTrustedAndTheSectionIsAppended() {
        List<String> page = List.of("text", "<!-- benchmark:saga end -->", "<!-- benchmark:saga begin -->");
        assertEquals(List.of("text", "<!-- benchmark:saga end -->", "<!-- benchmark:saga begin -->", "",
                "<!-- benchmark:saga begin -->", "x", "<!-- benchmark:saga end -->"),
                BenchmarkReport.replaceSection(page, "saga", List.of("x")));
    }
}
