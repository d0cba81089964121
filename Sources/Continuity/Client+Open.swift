extension Client {
    /// Open as of D: opened on or before D, and not closed (or closed after D) (SPEC §3).
    public func isOpen(asOf d: LocalDate) -> Bool {
        openedOn <= d && (closedOn.map { $0 > d } ?? true)
    }
}
