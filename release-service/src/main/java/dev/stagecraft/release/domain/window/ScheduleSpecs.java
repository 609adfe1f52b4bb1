package dev.stagecraft.release.domain.window;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.type.TypeReference;

import dev.stagecraft.platform.api.Violations;
import dev.stagecraft.platform.persistence.JsonText;
import dev.stagecraft.release.api.FreezeSpec;
import dev.stagecraft.release.api.WindowSpec;

/** Turns windows and freezes as users write them into a {@link DeploySchedule}, naming every mistake. */
public final class ScheduleSpecs {
    static final int MAX_WINDOWS = 50;
    static final int MAX_FREEZES = 200;
    private static final Pattern TIME = Pattern.compile("([01]\\d|2[0-3]):[0-5]\\d|24:00");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Map<String, DayOfWeek> DAYS = Map.of("MON", DayOfWeek.MONDAY, "TUE", DayOfWeek.TUESDAY,
            "WED", DayOfWeek.WEDNESDAY, "THU", DayOfWeek.THURSDAY, "FRI", DayOfWeek.FRIDAY, "SAT", DayOfWeek.SATURDAY,
            "SUN", DayOfWeek.SUNDAY);
    private static final TypeReference<List<WindowSpec>> WINDOWS = new TypeReference<>() {
    };
    private static final TypeReference<List<FreezeSpec>> FREEZES = new TypeReference<>() {
    };

    /** Checks every window and freeze; the normalised specs (days upper-case) are what gets stored. */
    public static List<WindowSpec> checkWindows(Violations v, List<WindowSpec> windows) {
        if (windows == null) {
            return List.of();
        }
        if (windows.size() > MAX_WINDOWS) {
            v.add("windows", "at most " + MAX_WINDOWS + " windows");
        }
        List<WindowSpec> normalised = new ArrayList<>();
        String firstZone = null;
        for (int i = 0; i < windows.size(); i++) {
            String field = "windows[" + i + "]";
            WindowSpec w = windows.get(i);
            if (w == null) {
                v.add(field, "must be an object {timezone, days, from, to}");
                continue;
            }
            ZoneId zone = zone(v, field + ".timezone", w.timezone());
            if (zone != null && firstZone == null) {
                firstZone = w.timezone();
            } else if (zone != null && !w.timezone().equals(firstZone)) {
                v.add(field + ".timezone", "'" + w.timezone() + "' differs from '" + firstZone
                        + "': all windows of an environment share one timezone, the one its freezes are dated in");
            }
            List<String> days = days(v, field + ".days", w.days());
            LocalTime from = time(v, field + ".from", w.from(), false);
            LocalTime to = time(v, field + ".to", w.to(), true);
            if (from != null && to != null && !from.isBefore(to)) {
                v.add(field, "from " + w.from() + " must be before to " + w.to()
                        + " (a window cannot span midnight: use two windows)");
            }
            normalised.add(new WindowSpec(w.timezone(), days, w.from(), w.to()));
        }
        return normalised;
    }

    public static List<FreezeSpec> checkFreezes(Violations v, List<FreezeSpec> freezes) {
        if (freezes == null) {
            return List.of();
        }
        if (freezes.size() > MAX_FREEZES) {
            v.add("freezes", "at most " + MAX_FREEZES + " freezes");
        }
        for (int i = 0; i < freezes.size(); i++) {
            String field = "freezes[" + i + "]";
            FreezeSpec f = freezes.get(i);
            if (f == null) {
                v.add(field, "must be an object {from, to, reason}");
                continue;
            }
            LocalDate from = date(v, field + ".from", f.from());
            LocalDate to = date(v, field + ".to", f.to());
            if (from != null && to != null && to.isBefore(from)) {
                v.add(field, "to " + f.to() + " is before from " + f.from());
            }
            if (f.reason() == null || f.reason().isBlank()) {
                v.add(field + ".reason", "is required: a refused deployment is told why");
            } else if (f.reason().length() > 200) {
                v.add(field + ".reason", "at most 200 characters");
            }
        }
        // A null entry is named above; List.copyOf would throw on it before the 400 could say so.
        return freezes.stream().filter(java.util.Objects::nonNull).toList();
    }

    /** The schedule of stored (already checked) windows and freezes. */
    public static DeploySchedule fromStored(String windowsJson, String freezesJson) {
        List<WindowSpec> windows = JsonText.read(windowsJson, WINDOWS);
        List<FreezeSpec> freezes = JsonText.read(freezesJson, FREEZES);
        if (windows.isEmpty() && freezes.isEmpty()) {
            return DeploySchedule.ALWAYS_OPEN;
        }
        return new DeploySchedule(windows.stream().map(ScheduleSpecs::window).toList(),
                freezes.stream().map(f -> new Freeze(LocalDate.parse(f.from()), LocalDate.parse(f.to()), f.reason()))
                        .toList());
    }

    public static List<WindowSpec> readWindows(String json) {
        return JsonText.read(json, WINDOWS);
    }

    public static List<FreezeSpec> readFreezes(String json) {
        return JsonText.read(json, FREEZES);
    }

    private static DeployWindow window(WindowSpec w) {
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        w.days().forEach(d -> days.add(DAYS.get(d)));
        return new DeployWindow(ZoneId.of(w.timezone()), days, parseTime(w.from()), parseTime(w.to()));
    }

    private static LocalTime parseTime(String text) {
        return "24:00".equals(text) ? DeployWindow.END_OF_DAY : LocalTime.parse(text);
    }

    private static ZoneId zone(Violations v, String field, String timezone) {
        if (timezone == null || timezone.isBlank()) {
            v.add(field, "is required: an IANA time zone such as Europe/Berlin, or UTC");
            return null;
        }
        try {
            return ZoneId.of(timezone);
        } catch (DateTimeException e) {
            v.add(field, "'" + timezone + "' is not a time zone (use an IANA name such as Europe/Berlin, or UTC)");
            return null;
        }
    }

    private static List<String> days(Violations v, String field, List<String> days) {
        if (days == null || days.isEmpty()) {
            v.add(field, "is required: one or more of MON, TUE, WED, THU, FRI, SAT, SUN");
            return List.of();
        }
        List<String> normalised = new ArrayList<>();
        for (int i = 0; i < days.size(); i++) {
            String day = days.get(i) == null ? "" : days.get(i).trim().toUpperCase(Locale.ROOT);
            if (!DAYS.containsKey(day)) {
                v.add(field + "[" + i + "]", "'" + days.get(i) + "' is not a day: one of MON, TUE, WED, THU, FRI, SAT, SUN");
            } else if (normalised.contains(day)) {
                v.add(field + "[" + i + "]", day + " is listed twice");
            } else {
                normalised.add(day);
            }
        }
        return normalised;
    }

    private static LocalTime time(Violations v, String field, String text, boolean endOfDayAllowed) {
        if (text == null || text.isBlank()) {
            v.add(field, "is required: HH:mm");
            return null;
        }
        if (!TIME.matcher(text).matches() || (!endOfDayAllowed && text.equals("24:00"))) {
            v.add(field, "'" + text + "' is not a time of day HH:mm (00:00 to 23:59" + (endOfDayAllowed ? ", or 24:00"
                    : "") + ")");
            return null;
        }
        return parseTime(text);
    }

    private static LocalDate date(Violations v, String field, String text) {
        if (text == null || text.isBlank()) {
            v.add(field, "is required: a date YYYY-MM-DD");
            return null;
        }
        try {
            if (!DATE.matcher(text).matches()) {
                throw new DateTimeParseException("not YYYY-MM-DD", text, 0);
            }
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            v.add(field, "'" + text + "' is not a date YYYY-MM-DD");
            return null;
        }
    }

    private ScheduleSpecs() {
    }
}
