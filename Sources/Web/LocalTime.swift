import Continuity

/// A local date and time of day in the configured zone as an instant and as RFC 3339 text
/// with that zone's offset (a contact logged through the form is stored as the API stores
/// one sent with an offset).
enum LocalTime {
    static func instant(_ date: LocalDate, minuteOfDay: Int, zone: TimeZoneRules) -> (Instant, String) {
        let local = Int64(date.daysSinceEpoch) * 86_400 + Int64(minuteOfDay) * 60
        // The offset at the instant itself: try the offset at the local reading, then correct
        // once (enough for any real zone; in a DST gap the later offset wins).
        var offset = zone.offsetSeconds(at: Instant(epochSeconds: local))
        offset = zone.offsetSeconds(at: Instant(epochSeconds: local - Int64(offset)))
        let instant = Instant(epochSeconds: local - Int64(offset))
        let shown = zone.local(instant)
        let sign = offset < 0 ? "-" : "+"
        let text = shown.date.iso + "T" + LocalDate.pad(shown.secondOfDay / 3600, 2) + ":" + LocalDate.pad(shown.secondOfDay / 60 % 60, 2)
            + ":00" + sign + LocalDate.pad(abs(offset) / 3600, 2) + ":" + LocalDate.pad(abs(offset) / 60 % 60, 2)
        return (instant, text)
    }

    /// `HH:MM` → minutes after midnight.
    static func minutes(_ s: String) -> Int? {
        let p = s.split(separator: ":")
        guard p.count == 2, let h = Int(p[0]), let m = Int(p[1]), (0..<24).contains(h), (0..<60).contains(m) else { return nil }
        return h * 60 + m
    }
}
