package dev.stagecraft.release.api;

import java.util.List;

/**
 * A deploy window as users write it: {@code {"timezone":"Europe/Berlin","days":["TUE","WED","THU"],
 * "from":"09:00","to":"16:00"}}. Days are MON..SUN; times HH:mm, {@code to} may be "24:00".
 */
public record WindowSpec(String timezone, List<String> days, String from, String to) {
}
