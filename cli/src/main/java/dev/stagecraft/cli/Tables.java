package dev.stagecraft.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** Prints JSON arrays as aligned tables: one column per named field (a JSON pointer or a field name). */
public final class Tables {
    private Tables() {
    }

    public static void print(PrintStream out, JsonNode rows, String... columns) {
        List<String[]> cells = new ArrayList<>();
        String[] header = new String[columns.length];
        for (int c = 0; c < columns.length; c++) {
            header[c] = label(columns[c]).toUpperCase();
        }
        cells.add(header);
        for (JsonNode row : rows.isArray() ? rows : List.of(rows)) {
            String[] line = new String[columns.length];
            for (int c = 0; c < columns.length; c++) {
                line[c] = text(row, columns[c]);
            }
            cells.add(line);
        }
        int[] widths = new int[columns.length];
        for (String[] line : cells) {
            for (int c = 0; c < line.length; c++) {
                widths[c] = Math.max(widths[c], line[c].length());
            }
        }
        for (String[] line : cells) {
            StringBuilder text = new StringBuilder();
            for (int c = 0; c < line.length; c++) {
                text.append(c == line.length - 1 ? line[c] : DeploymentPicture.pad(line[c], widths[c] + 2));
            }
            out.println(text.toString().stripTrailing());
        }
    }

    static String label(String column) {
        String name = column.startsWith("/") ? column.substring(column.lastIndexOf('/') + 1) : column;
        return name;
    }

    static String text(JsonNode row, String column) {
        JsonNode value = column.startsWith("/") ? row.at(column) : row.path(column);
        if (value.isMissingNode() || value.isNull()) {
            return "-";
        }
        if (value.isValueNode()) {
            String text = value.asText();
            return text.length() > 80 ? text.substring(0, 79) + "~" : text;
        }
        return value.toString();
    }
}
