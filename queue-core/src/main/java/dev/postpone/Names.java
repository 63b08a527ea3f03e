package dev.postpone;

/** Validation of names stored in the database (task, queue, lock), matching the schema's CHECKs. */
final class Names {

    private Names() {
    }

    static String requireValid(String what, String value, int maxLength) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException(what + " must not be blank");
        if (value.length() > maxLength) {
            throw new IllegalArgumentException(what + " is longer than " + maxLength + " characters: " + value.substring(0, 40) + "…");
        }
        return value;
    }
}
