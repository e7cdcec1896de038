package dev.bound.models.energy;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Range checks with messages that name the field and the allowed range, shared by the record
 * constructors (label {@code Type.field}, value shown as is) and the config parsers (label the full
 * config key, value shown quoted as it was written).
 */
final class Check {

    private Check() {}

    static long integer(String label, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    label + " must be an integer from " + min + " to " + max + " but was " + value);
        }
        return value;
    }

    static double number(String label, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(label + " must be a number from " + show(min) + " to "
                    + show(max) + " but was " + show(value));
        }
        return value;
    }

    static String text(String label, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(label + " must not be blank");
        }
        return value;
    }

    /** A short, exact form of a bound: 0.05, 700, 1e14. */
    static String show(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return String.valueOf(v);
        }
        if (v != 0 && v == Math.rint(v) && Math.abs(v) >= 1e6) {
            BigDecimal d = new BigDecimal(v).stripTrailingZeros();
            int exp = d.precision() - d.scale() - 1;
            BigDecimal mantissa = d.movePointLeft(exp).stripTrailingZeros();
            return mantissa.toPlainString() + "e" + exp;
        }
        return new BigDecimal(v).round(MathContext.DECIMAL64).stripTrailingZeros().toPlainString();
    }

    /**
     * Reads typed values from the fields of one config section ({@code energy.profile.<name>.}),
     * naming the full key and quoting the raw value in every error.
     */
    static final class Fields {
        private final String prefix;
        private final Map<String, String> fields;

        Fields(String prefix, Map<String, String> fields, Set<String> known) {
            this.prefix = prefix;
            this.fields = Map.copyOf(fields);
            List<String> unknown = new ArrayList<>();
            for (String key : fields.keySet()) {
                if (!known.contains(key)) {
                    unknown.add(key);
                }
            }
            if (!unknown.isEmpty()) {
                unknown.sort(null);
                throw new IllegalArgumentException(prefix + unknown.get(0) + " is not a known key; known: "
                        + String.join(", ", new TreeSet<>(known)));
            }
        }

        boolean has(String key) {
            return fields.containsKey(key);
        }

        String key(String key) {
            return prefix + key;
        }

        long integer(String key, long min, long max, long fallback) {
            String raw = fields.get(key);
            if (raw == null) {
                return fallback;
            }
            try {
                long v = Long.parseLong(raw.strip());
                if (v >= min && v <= max) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // reported below with the range
            }
            throw new IllegalArgumentException(
                    prefix + key + " must be an integer from " + min + " to " + max + " but was '" + raw + "'");
        }

        /** A number, optionally with a decimal suffix K, M, G (or B, billion), T, P. */
        double amount(String key, double min, double max, double fallback) {
            String raw = fields.get(key);
            if (raw == null) {
                return fallback;
            }
            Double v = parseAmount(raw);
            if (v != null && v >= min && v <= max) {
                return v;
            }
            throw new IllegalArgumentException(prefix + key + " must be a number from " + show(min) + " to "
                    + show(max) + " but was '" + raw + "'");
        }

        String text(String key, String fallback) {
            String raw = fields.get(key);
            if (raw == null) {
                return fallback;
            }
            if (raw.isBlank()) {
                throw new IllegalArgumentException(prefix + key + " must not be blank");
            }
            return raw.strip();
        }

        boolean bool(String key, boolean fallback) {
            String raw = fields.get(key);
            if (raw == null) {
                return fallback;
            }
            return switch (raw.strip().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on", "1" -> true;
                case "false", "no", "off", "0" -> false;
                default -> throw new IllegalArgumentException(
                        prefix + key + " must be true or false but was '" + raw + "'");
            };
        }

        void require(String key, String what) {
            if (!fields.containsKey(key)) {
                throw new IllegalArgumentException(prefix + key + " is required (" + what + ")");
            }
        }
    }

    static Double parseAmount(String raw) {
        String s = raw.strip();
        if (s.isEmpty()) {
            return null;
        }
        double scale = switch (Character.toUpperCase(s.charAt(s.length() - 1))) {
            case 'K' -> 1e3;
            case 'M' -> 1e6;
            case 'G', 'B' -> 1e9;
            case 'T' -> 1e12;
            case 'P' -> 1e15;
            default -> 1;
        };
        if (scale != 1) {
            s = s.substring(0, s.length() - 1).strip();
        }
        try {
            double v = Double.parseDouble(s) * scale;
            return Double.isFinite(v) ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
