package org.recoveryoutcomes.testdata.region;

import java.util.List;

/** Invented names: plausible to read, obviously not anybody's. */
final class Names {

    static final List<String> GIVEN = List.of("Aldra", "Bexley", "Caspian", "Dorrit", "Elwin", "Fenna", "Garrow", "Hesper",
            "Ilsa", "Jory", "Kestrel", "Linnet", "Marlow", "Nerys", "Orrin", "Perrin", "Quenby", "Rowan", "Sorrel", "Tamsin",
            "Ulric", "Vesna", "Wren", "Yarrow", "Zephyr");
    static final List<String> FAMILY = List.of("Testwood", "Sampleton", "Mockridge", "Fablemore", "Synthwick", "Placeholt",
            "Dummerfield", "Fictorn", "Pretendale", "Madeupton", "Inventry", "Notreal");
    static final List<String> PLACES = List.of("Northmere", "Eastbrook", "Westholm", "Southcombe", "Fernvale", "Highmoor",
            "Lowmarsh", "Brackwater", "Coldharbour Vale", "Dunmirth");

    private Names() {
    }

    /** The n-th place name (0-based), numbered once the list runs out. */
    static String place(int n) {
        String base = PLACES.get(n % PLACES.size());
        return n < PLACES.size() ? base : base + " " + (n / PLACES.size() + 1);
    }
}
